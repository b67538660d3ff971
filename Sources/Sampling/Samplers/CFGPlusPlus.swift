// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_euler_ancestral_cfg_pp,
// sample_euler_cfg_pp (eta = 0, s_noise = 0), sample_dpmpp_2s_ancestral_cfg_pp and
// sample_dpmpp_2m_cfg_pp, for eps models (lambda = -log sigma). CFG++ steps along the
// unconditional prediction; `uncond` is read after every model call, as the Python's hook does.
import Foundation

enum CFGPlusPlus {
    static func eulerAncestral(_ x: Latent, _ run: SamplerRun, eta: Float) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        return try run.eachGuidedStep(from: x) { step, uncond, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            if next == 0 { return denoised }
            let alphaS = sigma * exp(-log(sigma))
            let alphaT = next * exp(-log(next))
            let d = derivative(x, sigma, alphaS * uncond)
            var (down, up) = ancestralStep(from: sigma / alphaS, to: next / alphaT, eta: eta)
            down = alphaT * down
            let moved = alphaT * denoised + down * d
            guard eta > 0 else { return moved }
            return moved + alphaT * Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up
        }
    }

    static func dpmpp2SAncestral(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        return try run.eachGuidedStep(from: x) { step, uncond, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            let (down, up) = ancestralStep(from: sigma, to: next)
            var x = x
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
            if next > 0 { x = x + Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up }
            return x
        }
    }

    static func dpmpp2M(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var oldUncond: Latent?
        return try run.eachGuidedStep(from: x) { step, uncond, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            defer { oldUncond = uncond }
            let t = -log(sigma), tNext = -log(next)
            let h = tNext - t
            let mix: Latent
            if let old = oldUncond, next != 0 {
                let hLast = t - -log(run.sigmas[step.index - 1])
                let r = hLast / h
                mix = -exp(-h) * uncond - expm1(-h) * (1 / (2 * r)) * (denoised - old)
            } else {
                mix = -exp(-h) * uncond
            }
            return denoised + mix + exp(-h) * x
        }
    }
}
