// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py res_multistep (res_multistep: eta 0,
// res_multistep_ancestral: eta 1, each with a CFG++ variant) and sample_gradient_estimation
// (ge_gamma 2, with its CFG++ variant), for eps models.
import Foundation

enum ResMultistep {
    static func sample(_ x: Latent, _ run: SamplerRun, eta: Float, cfgPP: Bool) throws -> Latent {
        var x = x
        var noise = try run.ancestralNoise(like: x)
        var oldSigmaDown: Float?, oldDenoised: Latent?
        for i in 0..<run.steps {
            try run.begin(i)
            let sigma = run.sigmas[i], next = run.sigmas[i + 1]
            let (denoised, uncond) = cfgPP ? try run.guidedModel(x, sigma) : (try run.model(x, sigma), nil)
            let (down, up) = ancestralStep(from: sigma, to: next, eta: eta)
            run.report(i, x: x, denoised: denoised)
            if let oldDown = oldSigmaDown, let old = oldDenoised, down != 0 {
                let t = -log(sigma), tOld = -log(oldDown), tNext = -log(down), tPrev = -log(run.sigmas[i - 1])
                let h = tNext - t
                let c2 = (tPrev - tOld) / h
                let phi1 = expm1(-h) / -h
                let phi2 = (phi1 - 1) / -h
                let b1 = nanToNum(phi1 - phi2 / c2), b2 = nanToNum(phi2 / c2)
                if let uncond {
                    x = x + (denoised - uncond)
                    x = exp(-h) * x + h * (b1 * uncond + b2 * old)
                } else {
                    x = exp(-h) * x + h * (b1 * denoised + b2 * old)
                }
            } else if let uncond {
                let d = derivative(x, sigma, uncond)
                x = denoised + d * down
            } else {
                let d = derivative(x, sigma, denoised)
                let dt = down - sigma
                x = x + d * dt
            }
            // With eta = 0 torch still draws (and multiplies by 0); skipping the draw changes nothing.
            if next > 0 && up != 0 {
                x = x + Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up
            }
            oldDenoised = uncond ?? denoised
            oldSigmaDown = down
        }
        return x
    }

    /// torch.nan_to_num(v, nan=0.0): NaN -> 0, +-inf -> the largest finite float32.
    private static func nanToNum(_ v: Float) -> Float {
        if v.isNaN { return 0 }
        if v == .infinity { return .greatestFiniteMagnitude }
        if v == -.infinity { return -.greatestFiniteMagnitude }
        return v
    }

    static func gradientEstimation(_ x: Latent, _ run: SamplerRun, cfgPP: Bool, gamma: Float = 2) throws -> Latent {
        var x = x
        var oldD: Latent?
        for i in 0..<run.steps {
            try run.begin(i)
            let sigma = run.sigmas[i], next = run.sigmas[i + 1]
            let (denoised, uncond) = cfgPP ? try run.guidedModel(x, sigma) : (try run.model(x, sigma), nil)
            let d = derivative(x, sigma, uncond ?? denoised)
            run.report(i, x: x, denoised: denoised)
            let dt = next - sigma
            if next == 0 {
                x = denoised
            } else {
                x = cfgPP ? denoised + d * next : x + d * dt
                if i >= 1, let old = oldD {
                    let dBar = (gamma - 1) * (d - old)
                    x = x + dBar * dt
                }
            }
            oldD = d
        }
        return x
    }
}
