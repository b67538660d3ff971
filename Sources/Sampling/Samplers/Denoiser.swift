// The sampler-side view of a diffusion model, as k-diffusion's samplers see ComfyUI's
// KSamplerX0Inpaint -> CFGGuider chain (comfy/samplers.py): x and sigma in, denoised x0 out.
import TensorCore

/// A model wrapped to predict the clean latent: `denoise(x, sigma)` returns x0 for a noisy latent
/// `x` at noise level `sigma` (CFG, conditioning and the model's parametrisation live inside).
/// Sampling never sees the model itself.
public protocol Denoiser {
    func denoise(_ x: Tensor, sigma: Float) throws -> Tensor
}

/// A denoiser that also returns its unconditional prediction, for the CFG++ samplers (ComfyUI
/// reads it through a post-CFG hook and turns off the cfg = 1 shortcut for them, so the
/// unconditional pass always runs).
public protocol GuidedDenoiser: Denoiser {
    func denoiseGuided(_ x: Tensor, sigma: Float) throws -> (denoised: Tensor, uncond: Tensor)
}

/// One finished sampler step, for progress bars and previews (ComfyUI's k_callback).
public struct SamplerStep {
    /// 0-based step index and the number of steps (len(sigmas) - 1).
    public let index: Int, total: Int
    public let sigma: Float
    /// The latent entering the step and the model's denoised prediction at it.
    public let x: Tensor, denoised: Tensor
}

/// How a sampler run is watched and stopped, and the model's noise levels. The seed is not here:
/// it is an argument of `runSampler` (what is sampled), not part of how the run is observed.
public struct SamplingOptions {
    /// Called once per step, after the step's first model evaluation (as ComfyUI's callback).
    public var progress: ((SamplerStep) -> Void)?
    /// Polled between steps; returning true stops the run with `SamplingError.cancelled`.
    public var isCancelled: (() -> Bool)?
    /// The model's noise levels; sa_solver reads percent_to_sigma from it (default: SD1.x's).
    public var modelSampling: ModelSampling

    public init(progress: ((SamplerStep) -> Void)? = nil, isCancelled: (() -> Bool)? = nil,
                modelSampling: ModelSampling = ModelSamplingDiscrete()) {
        self.progress = progress
        self.isCancelled = isCancelled
        self.modelSampling = modelSampling
    }
}

public enum SamplingError: Error, Equatable, CustomStringConvertible {
    case cancelled(step: Int)
    /// The model returned NaN or infinity: the run stops instead of saving a black image.
    case nonFinite(step: Int, sigma: Float)
    /// The model returned a tensor of another shape than the latent it was given.
    case shapeMismatch(latent: [Int], denoised: [Int])
    /// Noise and latent image must have the same shape.
    case noiseShape(noise: [Int], latent: [Int])
    case unsupportedSampler(String)
    /// A CFG++ sampler was given a denoiser that cannot report its unconditional prediction.
    case needsUnconditionalPrediction

    public var description: String {
        switch self {
        case .cancelled(let step): return "sampling interrupted before step \(step + 1)"
        case let .nonFinite(step, sigma):
            return "the model produced NaN or infinite values at step \(step + 1) (sigma \(sigma))"
        case let .shapeMismatch(latent, denoised):
            return "the model returned shape \(denoised) for a latent of shape \(latent)"
        case let .noiseShape(noise, latent):
            return "noise of shape \(noise) does not match the latent image of shape \(latent)"
        case .unsupportedSampler(let name): return "sampler '\(name)' is not implemented yet"
        case .needsUnconditionalPrediction:
            return "this CFG++ sampler needs the model's unconditional prediction, which this model does not provide"
        }
    }
}
