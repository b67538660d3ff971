// Matches ComfyUI 0.8.0 comfy/samplers.py CFGGuider.predict_noise -> sampling_function ->
// cfg_function (no model patches), the model KSampler's samplers call at every step.
import Sampling
import TensorCore

/// A MODEL with its positive and negative CONDITIONING and a CFG scale, as the samplers see it:
/// x and sigma in, the guided denoised prediction out.
public struct CFGDenoiser: GuidedDenoiser {
    public let model: any DiffusionModel
    public let positive: ConditioningValue
    public let negative: ConditioningValue
    public let cfg: Double

    /// Checks every entry is a `[batch, tokens, width]` context (a malformed entry could not be
    /// batched and would otherwise fail deep inside the model).
    public init(model: any DiffusionModel, positive: ConditioningValue, negative: ConditioningValue, cfg: Double) throws {
        for (name, list) in [("positive", positive), ("negative", negative)] {
            for entry in list.entries {
                let s = entry.cond.shape
                guard s.count == 3, s.allSatisfy({ $0 > 0 }) else {
                    throw KSamplerError.malformedConditioning(input: name, shape: s)
                }
            }
        }
        self.model = model
        self.positive = positive
        self.negative = negative
        self.cfg = cfg
    }

    /// `sampling_function`: with cfg 1 (math.isclose) the negative entries are not evaluated at
    /// all and the positive prediction is returned.
    public func denoise(_ x: Tensor, sigma: Float) throws -> Tensor {
        let uncond = CFG.needsUncond(scale: cfg) ? negative.entries : []
        let out = try CondBatch(model: model).predictions(x, sigma: sigma, lists: try inputs([positive.entries, uncond], x))
        return CFG.needsUncond(scale: cfg) ? CFG.combine(cond: out[0], uncond: out[1], scale: cfg) : out[0]
    }

    /// The CFG++ samplers' call: they set `disable_cfg1_optimization`, so the negative pass always
    /// runs, and read the unconditional prediction back through a post-CFG hook.
    public func denoiseGuided(_ x: Tensor, sigma: Float) throws -> (denoised: Tensor, uncond: Tensor) {
        let out = try CondBatch(model: model).predictions(x, sigma: sigma, lists: try inputs([positive.entries, negative.entries], x))
        return (CFG.combine(cond: out[0], uncond: out[1], scale: cfg), out[1])
    }

    /// The family's model inputs of each entry (`encode_model_conds` -> `extra_conds`).
    private func inputs(_ lists: [[ConditioningValue.Entry]], _ x: Tensor) throws -> [[ModelConditioning]] {
        try lists.map { list in try list.map { try model.modelConditioning($0, latentShape: x.shape) } }
    }
}
