// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_ddpm (generic_step_sampler +
// DDPMSampler_step) and sample_lcm, both with default_noise_sampler (seed + 1).
import Foundation

enum StepSamplers {
    static func ddpm(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        return try run.eachStep(from: x) { step, x in
            let (sigma, next) = (step.sigma, step.next)
            let eps = (x - step.denoised) / sigma
            let mu = ddpmStep(x / (1 + sigma * sigma).squareRoot(), sigma, next, eps, &noise)
            return next != 0 ? mu * (1 + next * next).squareRoot() : mu
        }
    }

    /// DDPMSampler_step: the DDPM posterior mean in the variance-preserving space, plus its noise.
    private static func ddpmStep(_ x: Latent, _ sigma: Float, _ sigmaPrev: Float, _ eps: Latent,
                                 _ noise: inout AncestralNoiseSampler) -> Latent {
        let alphaCumprod = 1 / ((sigma * sigma) + 1)
        let alphaCumprodPrev = 1 / ((sigmaPrev * sigmaPrev) + 1)
        let alpha = alphaCumprod / alphaCumprodPrev
        var mu = (1 / alpha).squareRoot() * (x - (1 - alpha) * eps / (1 - alphaCumprod).squareRoot())
        if sigmaPrev > 0 {
            let scale = ((1 - alpha) * (1 - alphaCumprodPrev) / (1 - alphaCumprod)).squareRoot()
            mu = mu + scale * Latent(noise.noise(sigma: sigma, sigmaNext: sigmaPrev))
        }
        return mu
    }

    static func lcm(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        return try run.eachStep(from: x) { step, _ in
            guard step.next > 0 else { return step.denoised }
            let fresh = Latent(noise.noise(sigma: step.sigma, sigmaNext: step.next))
            return run.noiseScaling(sigma: step.next, noise: fresh, latent: step.denoised)
        }
    }
}
