// The loop plumbing every k-diffusion sampler shares (comfy/k_diffusion/sampling.py): model calls
// with checks, the per-step callback, cancellation between steps, and the noise sources.
import TensorCore

/// One sampler run: the denoiser, the sigmas (Float32, as ComfyUI's sigma tensor) and the options.
final class SamplerRun {
    let denoiser: Denoiser
    let sigmas: [Float]
    let options: SamplingOptions
    let parametrization: NoiseParametrization
    private var currentStep = 0

    init(denoiser: Denoiser, sigmas: [Float], options: SamplingOptions, parametrization: NoiseParametrization = .eps) {
        self.denoiser = denoiser
        self.sigmas = sigmas
        self.options = options
        self.parametrization = parametrization
    }

    /// `model_sampling.noise_scaling(sigma, noise, latent, max_denoise)` (EPS / CONST).
    func noiseScaling(sigma: Float, noise: Latent, latent: Latent, maxDenoise: Bool = false) -> Latent {
        switch parametrization {
        case .eps: return noise * (maxDenoise ? (1 + sigma * sigma).squareRoot() : sigma) + latent
        case .const: return sigma * noise + (1 - sigma) * latent
        }
    }

    /// Number of steps: len(sigmas) - 1.
    var steps: Int { max(sigmas.count - 1, 0) }

    /// Starts step `i`: the only place a run can be cancelled (between steps).
    func begin(_ i: Int) throws {
        currentStep = i
        if options.isCancelled?() == true { throw SamplingError.cancelled(step: i) }
    }

    /// `model(x, sigma * s_in)`, checked: same shape back, and only finite values.
    func model(_ x: Latent, _ sigma: Float) throws -> Latent {
        let out = try denoiser.denoise(x.tensor, sigma: sigma)
        guard out.shape == x.shape else { throw SamplingError.shapeMismatch(latent: x.shape, denoised: out.shape) }
        let denoised = Latent(out)
        guard denoised.isFinite else { throw SamplingError.nonFinite(step: currentStep, sigma: sigma) }
        return denoised
    }

    /// A CFG++ model call: the guided prediction and the unconditional one, both checked.
    func guidedModel(_ x: Latent, _ sigma: Float) throws -> (denoised: Latent, uncond: Latent) {
        guard let guided = denoiser as? GuidedDenoiser else { throw SamplingError.needsUnconditionalPrediction }
        let (denoised, uncond) = try guided.denoiseGuided(x.tensor, sigma: sigma)
        for out in [denoised, uncond] {
            guard out.shape == x.shape else { throw SamplingError.shapeMismatch(latent: x.shape, denoised: out.shape) }
            guard Latent(out).isFinite else { throw SamplingError.nonFinite(step: currentStep, sigma: sigma) }
        }
        return (Latent(denoised), Latent(uncond))
    }

    /// The k-diffusion callback of step `i`.
    func report(_ i: Int, x: Latent, denoised: Latent) {
        report(i, sigma: sigmas[i], x: x, denoised: denoised)
    }

    /// The callback for samplers whose steps are not the schedule's (dpm_fast, dpm_adaptive).
    func report(_ i: Int, sigma: Float, x: Latent, denoised: Latent) {
        options.progress?(SamplerStep(index: i, total: steps, sigma: sigma, x: x.tensor, denoised: denoised.tensor))
    }

    /// `default_noise_sampler(x, seed)`: a generator seeded with seed + 1 (wrapping at 2^64).
    func ancestralNoise(like x: Latent) -> AncestralNoiseSampler {
        AncestralNoiseSampler(shape: x.shape, seed: options.seed)
    }

    /// `BrownianTreeNoiseSampler(x, sigma_min, sigma_max, seed)`, sigma_min the smallest non-zero sigma.
    func brownianNoise(like x: Latent) -> BrownianTreeNoiseSampler {
        let positive = sigmas.filter { $0 > 0 }
        return BrownianTreeNoiseSampler(shape: x.shape, sigmaMin: positive.min() ?? 0,
                                        sigmaMax: sigmas.max() ?? 0, seed: options.seed)
    }
}

/// k-diffusion `to_d`: the ODE derivative (x - denoised) / sigma.
func derivative(_ x: Latent, _ sigma: Float, _ denoised: Latent) -> Latent {
    (x - denoised) / sigma
}

/// k-diffusion `get_ancestral_step` in float32 (sigmas are 0-dim float32 tensors there):
/// the sigma to step down to and the amount of fresh noise to add.
func ancestralStep(from sigmaFrom: Float, to sigmaTo: Float, eta: Float = 1) -> (down: Float, up: Float) {
    if eta == 0 { return (sigmaTo, 0) }
    let root = ((sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo)) / (sigmaFrom * sigmaFrom)).squareRoot()
    let candidate = eta * root
    let up = candidate < sigmaTo ? candidate : sigmaTo
    let down = (sigmaTo * sigmaTo - up * up).squareRoot()
    return (down, up)
}
