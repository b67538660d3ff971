import Execution
import Foundation
import Nodes
import TensorCore
import Testing
import Workflow

/// Oracle: ComfyUI 0.8.0 main.py hijack_progress (compat doc §4.5): an interrupt requested during
/// sampling stops KSampler at its next step, with the executor's `Interrupted` error (not a node
/// failure), and no further model evaluation.
@Suite struct KSamplerInterruptTests {
    /// Gives KSampler its MODEL, conditionings and an empty latent.
    enum Inputs: NodeDefinition {
        nonisolated(unsafe) static var model = RecordingModel()
        static let declaration = NodeDeclaration("TestSamplerInputs", category: "test", inputs: [],
                                                 outputs: [.model, .conditioning, .conditioning, .latent])
        static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
            NodeOutput(ModelValue(model: model), KSamplerHarness.conditioning(1), KSamplerHarness.conditioning(-1),
                       LatentValue(samples: Tensor.zeros([1, 4, 8, 8])))
        }
    }

    /// An output node that takes the sampled latent.
    enum Sink: NodeDefinition {
        static let samples = Input<LatentValue>("samples")
        static let declaration = NodeDeclaration("TestLatentSink", category: "test", inputs: [samples], outputs: [],
                                                 isOutputNode: true)
        static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
            _ = try a[samples]
            return NodeOutput(values: [])
        }
    }

    static func node(_ type: String, _ inputs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject([("class_type", .string(type)), ("inputs", .object(JSONObject(inputs)))]))
    }

    @Test func anInterruptDuringSamplingStopsBeforeTheNextStep() throws {
        let model = RecordingModel()
        Inputs.model = model
        let executor = Executor(registry: NodeRegistry([Inputs.self, KSampler.self, Sink.self]))
        let link = { (slot: Int64) -> JSONValue in [.string("1"), .int(slot)] }
        let prompt = JSONObject([
            ("1", Self.node("TestSamplerInputs", [])),
            ("3", Self.node("KSampler", [("model", link(0)), ("seed", 1), ("steps", 5), ("cfg", 8.0),
                                         ("sampler_name", "euler"), ("scheduler", "normal"), ("positive", link(1)),
                                         ("negative", link(2)), ("latent_image", link(3)), ("denoise", 1.0)])),
            ("9", Self.node("TestLatentSink", [("samples", [.string("3"), .int(0)])])),
        ])
        let events = EventLog()
        let observer: ExecutionObserver = { event in
            events.observe(event)
            if case .progress(_, 2, _, _) = event { executor.interruption.request() }
        }
        let error = try #require(throws: Interrupted.self) {
            try executor.validateAndRun(prompt, environment: Fixtures.environment(), observer: observer)
        }
        #expect(error.nodeID == "3" && error.classType == "KSampler")
        #expect(model.calls.count == 2)
        #expect(events.progress == [ProgressEvent(value: 1, max: 5), ProgressEvent(value: 2, max: 5)])
    }
}
