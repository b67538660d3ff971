// The loop plumbing every k-diffusion sampler shares (comfy/k_diffusion/sampling.py): model calls
// with checks, the per-step callback, cancellation between steps, and the noise sources.
import Foundation
import TensorCore

/// One sampler run: the denoiser, the sigmas (Float32, as ComfyUI's sigma tensor), the seed of
/// its noise sources and the options.
final class SamplerRun {
    let denoiser: Denoiser
    let sigmas: [Float]
    /// The KSampler seed: ancestral samplers draw with seed + 1, SDE samplers seed their Brownian tree with it.
    let seed: UInt64
    let options: SamplingOptions
    let parametrization: NoiseParametrization
    private var currentStep = 0

    init(denoiser: Denoiser, sigmas: [Float], seed: UInt64, options: SamplingOptions,
         parametrization: NoiseParametrization = .eps) {
        self.denoiser = denoiser
        self.sigmas = sigmas
        self.seed = seed
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

    /// `default_noise_sampler(x, seed)`: a generator seeded with seed + 1 (throws at seed 2^64-1).
    func ancestralNoise(like x: Latent) throws -> AncestralNoiseSampler {
        try AncestralNoiseSampler(shape: x.shape, seed: seed)
    }

    /// `BrownianTreeNoiseSampler(x, sigma_min, sigma_max, seed)`, sigma_min the smallest non-zero sigma.
    func brownianNoise(like x: Latent) -> BrownianTreeNoiseSampler {
        let positive = sigmas.filter { $0 > 0 }
        return BrownianTreeNoiseSampler(shape: x.shape, sigmaMin: positive.min() ?? 0,
                                        sigmaMax: sigmas.max() ?? 0, seed: seed)
    }
}

/// The log-SNR terms of a step from `sigma` to `next` that the exponential-integrator samplers
/// (DPM++ SDE, SEEDS) share, for eps models: lambda = -log sigma, alpha = sigma * e^lambda, in the
/// Python's float32 order.
struct LambdaStep {
    let lambdaS: Float, lambdaT: Float
    /// lambda_t - lambda_s, and h * (eta + 1).
    let h: Float, hEta: Float
    let alphaT: Float

    init(from sigma: Float, to next: Float, eta: Float) {
        lambdaS = -log(sigma)
        lambdaT = -log(next)
        h = lambdaT - lambdaS
        hEta = h * (eta + 1)
        alphaT = next * exp(lambdaT)
    }

    var terms: (h: Float, hEta: Float, alphaT: Float) { (h, hEta, alphaT) }
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

/// A step of the usual k-diffusion loop, after its first model evaluation.
struct ModelStep {
    /// 0-based step index: the step goes from `sigma` = sigmas[index] to `next` = sigmas[index + 1].
    let index: Int
    let sigma: Float, next: Float
    /// The model's prediction at the latent entering the step (what the callback reports).
    let denoised: Latent
}

extension SamplerRun {
    /// The loop most k-diffusion samplers are: for each step, `begin` (the cancellation point),
    /// `denoised = model(x, sigmas[i])`, the step's callback, then `advance` moves x from sigmas[i]
    /// to sigmas[i + 1] (and may call the model again).
    func eachStep(from x: Latent, _ advance: (ModelStep, Latent) throws -> Latent) throws -> Latent {
        try loop(from: x, predict: { (try self.model($0, $1), ()) }, advance: { step, _, x in try advance(step, x) })
    }

    /// The same loop for the CFG++ samplers: the first evaluation also gives the unconditional prediction.
    func eachGuidedStep(from x: Latent, _ advance: (ModelStep, _ uncond: Latent, Latent) throws -> Latent) throws -> Latent {
        try loop(from: x, predict: { try self.guidedModel($0, $1) }, advance: advance)
    }

    private func loop<Extra>(from x: Latent, predict: (Latent, Float) throws -> (Latent, Extra),
                             advance: (ModelStep, Extra, Latent) throws -> Latent) throws -> Latent {
        var x = x
        for i in 0..<steps {
            try begin(i)
            let (denoised, extra) = try predict(x, sigmas[i])
            report(i, x: x, denoised: denoised)
            x = try advance(ModelStep(index: i, sigma: sigmas[i], next: sigmas[i + 1], denoised: denoised), extra, x)
        }
        return x
    }
}
