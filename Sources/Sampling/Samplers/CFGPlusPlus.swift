// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_euler_ancestral_cfg_pp,
// sample_euler_cfg_pp (eta = 0, s_noise = 0), sample_dpmpp_2s_ancestral_cfg_pp and
// sample_dpmpp_2m_cfg_pp, for eps models (lambda = -log sigma). CFG++ steps along the
// unconditional prediction; `uncond` is read after every model call, as the Python's hook does.
import Foundation

enum CFGPlusPlus {
    static func eulerAncestral(_ x: Latent, _ run: SamplerRun, eta: Float) throws -> Latent {
        var x = x
        var noise = run.ancestralNoise(like: x)
        for i in 0..<run.steps {
            try run.begin(i)
            let sigma = run.sigmas[i], next = run.sigmas[i + 1]
            let (denoised, uncond) = try run.guidedModel(x, sigma)
            run.report(i, x: x, denoised: denoised)
            if next == 0 {
                x = denoised
                continue
            }
            let alphaS = sigma * exp(-log(sigma))
            let alphaT = next * exp(-log(next))
            let d = derivative(x, sigma, alphaS * uncond)
            var (down, up) = ancestralStep(from: sigma / alphaS, to: next / alphaT, eta: eta)
            down = alphaT * down
            x = alphaT * denoised + down * d
            if eta > 0 {
                x = x + alphaT * Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up
            }
        }
        return x
    }

    static func dpmpp2SAncestral(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var x = x
        var noise = run.ancestralNoise(like: x)
        for i in 0..<run.steps {
            try run.begin(i)
            let sigma = run.sigmas[i], next = run.sigmas[i + 1]
            let (denoised, uncond) = try run.guidedModel(x, sigma)
            let (down, up) = ancestralStep(from: sigma, to: next)
            run.report(i, x: x, denoised: denoised)
            if down == 0 {
                let d = derivative(x, sigma, uncond)
                x = denoised + d * down
            } else {
                let t = -log(sigma), tNext = -log(down)
                let r: Float = 0.5
                let h = tNext - t
                let s = t + r * h
                let x2 = (exp(-s) / exp(-t)) * (x + (denoised - uncond)) - expm1(-h * r) * denoised
                // The hook has replaced the uncond by the second call's when the Python reads it again.
                let (denoised2, uncond2) = try run.guidedModel(x2, exp(-s))
                x = (exp(-tNext) / exp(-t)) * (x + (denoised - uncond2)) - expm1(-h) * denoised2
            }
            if next > 0 {
                x = x + Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up
            }
        }
        return x
    }

    static func dpmpp2M(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var x = x
        var oldUncond: Latent?
        for i in 0..<run.steps {
            try run.begin(i)
            let sigma = run.sigmas[i], next = run.sigmas[i + 1]
            let (denoised, uncond) = try run.guidedModel(x, sigma)
            run.report(i, x: x, denoised: denoised)
            let t = -log(sigma), tNext = -log(next)
            let h = tNext - t
            let mix: Latent
            if let old = oldUncond, next != 0 {
                let hLast = t - -log(run.sigmas[i - 1])
                let r = hLast / h
                mix = -exp(-h) * uncond - expm1(-h) * (1 / (2 * r)) * (denoised - old)
            } else {
                mix = -exp(-h) * uncond
            }
            x = denoised + mix + exp(-h) * x
            oldUncond = uncond
        }
        return x
    }
}
