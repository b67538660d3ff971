import Execution
import Foundation
import Nodes
import TensorCore
import TestSupport
import Workflow

/// Runs the SD1.5 nodes' `execute` directly, with the fixture models folder (TestFixtures.models:
/// the reference kit's checkpoint, VAE and LoRA files) as the only models root.
enum SD15Nodes {
    static func environment(models root: URL) -> RunEnvironment {
        let tmp = FileManager.default.temporaryDirectory
        return RunEnvironment(models: ModelFolders(roots: [root]), outputDirectory: tmp, inputDirectory: tmp, tempDirectory: tmp)
    }

    static func context(_ node: any NodeDefinition.Type, models root: URL? = nil) throws -> NodeContext {
        NodeContext(nodeID: "1", classType: node.schema.name, environment: environment(models: try root ?? TestFixtures.models))
    }

    /// `node.execute` with constant inputs (JSON) and linked values (anything else).
    static func run(_ node: any NodeDefinition.Type, _ inputs: [String: any Sendable],
                    context: NodeContext? = nil) throws -> [any Sendable] {
        var values: [String: InputArgument] = [:]
        for (k, v) in inputs { values[k] = (v as? JSONValue).map { .constant($0) } ?? .linked(v) }
        let ctx = try context ?? self.context(node)
        return try node.execute(Arguments(values: values, declaration: node.declaration), ctx).values
    }

    /// CheckpointLoaderSimple('v1-5-pruned-emaonly-fp16.safetensors'), once per test process
    /// (2.1 GB file, 4.3 GB of Float32 weights).
    static let loaded: Result<(model: ModelValue, clip: CLIPValue, vae: VAEValue), Error> = Result {
        let out = try run(CheckpointLoaderSimple.self, ["ckpt_name": JSONValue.string("v1-5-pruned-emaonly-fp16.safetensors")])
        guard let m = out[0] as? ModelValue, let c = out[1] as? CLIPValue, let v = out[2] as? VAEValue else {
            throw Unexpected(what: "CheckpointLoaderSimple outputs \(out.map { type(of: $0) })")
        }
        return (m, c, v)
    }

    static func checkpoint() throws -> (model: ModelValue, clip: CLIPValue, vae: VAEValue) { try loaded.get() }

    struct Unexpected: Error { let what: String }

    /// Largest |a - e| and largest |e|, for the messages of the numeric tests.
    static func maxAbsDiff(_ a: Tensor, _ e: Tensor) -> (diff: Float, scale: Float) {
        let x = a.scalars, y = e.scalars
        var d: Float = 0, s: Float = 0
        for i in 0..<min(x.count, y.count) { d = max(d, abs(x[i] - y[i])); s = max(s, abs(y[i])) }
        return (d, s)
    }
}

extension Tensor {
    /// The address of the first value: equal for two tensors that share storage.
    var storageAddress: UnsafePointer<Float>? { withUnsafeBufferPointer { $0.baseAddress } }
}
