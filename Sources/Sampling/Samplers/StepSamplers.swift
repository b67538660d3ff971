// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_ddpm (generic_step_sampler +
// DDPMSampler_step) and sample_lcm, both with default_noise_sampler (seed + 1).
import Foundation

enum StepSamplers {
    static func ddpm(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var x = x
        var noise = run.ancestralNoise(like: x)
        for i in 0..<run.steps {
            try run.begin(i)
            let sigma = run.sigmas[i], next = run.sigmas[i + 1]
            let denoised = try run.model(x, sigma)
            run.report(i, x: x, denoised: denoised)
            let eps = (x - denoised) / sigma
            x = ddpmStep(x / (1 + sigma * sigma).squareRoot(), sigma, next, eps, &noise)
            if next != 0 { x = x * (1 + next * next).squareRoot() }
        }
        return x
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
        var x = x
        var noise = run.ancestralNoise(like: x)
        for i in 0..<run.steps {
            try run.begin(i)
            let sigma = run.sigmas[i], next = run.sigmas[i + 1]
            let denoised = try run.model(x, sigma)
            run.report(i, x: x, denoised: denoised)
            x = denoised
            if next > 0 {
                x = run.noiseScaling(sigma: next, noise: Latent(noise.noise(sigma: sigma, sigmaNext: next)), latent: x)
            }
        }
        return x
    }
}
