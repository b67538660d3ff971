import Execution
import Foundation
import Models
import Nodes
import Sampling
import TensorCore
import TestSupport

/// An analytic eps model for the KSampler plumbing tests: eps = gain · x_in + contextWeight · mean
/// of the item's context, so every output is a closed form. Records each call (thread-safe).
final class RecordingModel: DiffusionModel, @unchecked Sendable {
    struct Call {
        let input: Tensor, timesteps: [Float], context: Tensor
    }

    let family = ModelFamily.sd15
    let modelSampling: any ModelSampling = ModelSamplingDiscrete()
    let parametrization = NoiseParametrization.eps
    let gain: Float, contextWeight: Float
    /// Replaces every output by NaN from this call on (0-based), for the NaN test.
    let nanFromCall: Int?
    private let lock = NSLock()
    private var recorded: [Call] = []

    init(gain: Float = 1, contextWeight: Float = 0, nanFromCall: Int? = nil) {
        self.gain = gain
        self.contextWeight = contextWeight
        self.nanFromCall = nanFromCall
    }

    var calls: [Call] { lock.lock(); defer { lock.unlock() }; return recorded }

    func predict(_ x: Tensor, timesteps: Tensor, conditioning: ModelConditioning) throws -> Tensor {
        let context = try conditioning.tensor(.crossAttention)
        lock.lock()
        recorded.append(Call(input: x, timesteps: timesteps.scalars, context: context))
        let n = recorded.count - 1
        lock.unlock()
        if let first = nanFromCall, n >= first { return Tensor(shape: x.shape, repeating: .nan) }
        var out = x * gain
        let perItem = x.count / x.shape[0], tokens = context.count / context.shape[0]
        let c = context.scalars
        out.withUnsafeMutableBufferPointer { o in
            for b in 0..<x.shape[0] {
                let mean = c[(b * tokens)..<((b + 1) * tokens)].reduce(0, +) / Float(tokens)
                for i in 0..<perItem { o[b * perItem + i] += contextWeight * mean }
            }
        }
        return out
    }
}

/// SD1.5 as a MODEL for the parity tests, straight from `Models` (the loader nodes' own
/// conformance lives elsewhere): the checkpoint's UNet, ModelSamplingDiscrete, eps, 0.18215.
struct SD15TestModel: DiffusionModel, @unchecked Sendable {
    let unet: UNet
    let family = ModelFamily.sd15
    let modelSampling: any ModelSampling = ModelSamplingDiscrete()
    let parametrization = NoiseParametrization.eps

    func predict(_ x: Tensor, timesteps: Tensor, conditioning: ModelConditioning) throws -> Tensor {
        try unet(x, timesteps: timesteps, context: conditioning.tensor(.crossAttention))
    }

    /// The fixture checkpoint's UNet: the one CheckpointLoaderSimple loaded for the node tests
    /// (`SD15Nodes.checkpoint()`), so the process holds one copy of the weights, not a second 3.4 GB.
    static let fixture: Result<SD15TestModel, Error> = Result {
        guard let model = try SD15Nodes.checkpoint().model.model as? SD15DiffusionModel else {
            throw SD15Nodes.Unexpected(what: "CheckpointLoaderSimple's MODEL is not an SD15DiffusionModel")
        }
        guard let unet = model.base.unet else {
            throw SD15Nodes.Unexpected(what: "CheckpointLoaderSimple's MODEL has no UNet")
        }
        return SD15TestModel(unet: unet)
    }
}

/// Runs KSampler-family nodes directly, with an observer collecting progress events.
enum KSamplerHarness {
    static func run<N: NodeDefinition>(_ node: N.Type, _ values: [String: InputArgument],
                                       observer: ExecutionObserver? = nil) throws -> LatentValue {
        let context = NodeContext(nodeID: "3", classType: node.declaration.schema.name,
                                  environment: Fixtures.environment(), observer: observer)
        let output = try node.execute(Arguments(values: values, declaration: node.declaration), context)
        guard let latent = output.values.first as? LatentValue else { throw Failure.noLatent }
        return latent
    }

    enum Failure: Error { case noLatent }

    /// KSampler inputs; `overrides` replaces any of them.
    static func ksampler(model: any DiffusionModel, positive: ConditioningValue, negative: ConditioningValue,
                         latent: LatentValue, _ overrides: [String: InputArgument] = [:]) -> [String: InputArgument] {
        var v: [String: InputArgument] = [
            "model": .linked(ModelValue(model: model)), "seed": .constant(1234), "steps": .constant(3),
            "cfg": .constant(8.0), "sampler_name": .constant("euler"), "scheduler": .constant("normal"),
            "positive": .linked(positive), "negative": .linked(negative), "latent_image": .linked(latent),
            "denoise": .constant(1.0),
        ]
        v.merge(overrides) { $1 }
        return v
    }

    /// A one-entry conditioning of constant value `v`, `[1, tokens, 8]`.
    static func conditioning(_ v: Float, tokens: Int = 77) -> ConditioningValue {
        ConditioningValue([.init(cond: Tensor(shape: [1, tokens, 8], repeating: v))])
    }
}
