// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_euler, sample_euler_ancestral,
// sample_heun, sample_heunpp2, sample_dpm_2, sample_dpm_2_ancestral (eps/discrete models; s_churn = 0, eta = 1,
// s_noise = 1, the KSampler defaults). Expressions keep the Python's order: see `Latent`.
import Foundation

enum EulerFamily {
    static func euler(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        try run.eachStep(from: x) { step, x in
            let d = derivative(x, step.sigma, step.denoised)
            let dt = step.next - step.sigma
            return x + d * dt
        }
    }

    static func eulerAncestral(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        return try run.eachStep(from: x) { step, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            let (down, up) = ancestralStep(from: sigma, to: next)
            if down == 0 { return denoised }
            let d = derivative(x, sigma, denoised)
            let dt = down - sigma
            return x + d * dt + Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up
        }
    }

    static func heun(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        try run.eachStep(from: x) { step, x in
            let (sigma, next) = (step.sigma, step.next)
            let d = derivative(x, sigma, step.denoised)
            let dt = next - sigma
            if next == 0 { return x + d * dt }
            let x2 = x + d * dt
            let denoised2 = try run.model(x2, next)
            let d2 = derivative(x2, next, denoised2)
            let dPrime = (d + d2) / 2
            return x + dPrime * dt
        }
    }

    /// Heun++: up to three derivative evaluations per step, weighted by sigma / (n * sigmas[0]).
    static func heunpp2(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        let s = run.sigmas, end = s[s.count - 1]
        return try run.eachStep(from: x) { step, x in
            let i = step.index
            let d = derivative(x, s[i], step.denoised)
            let dt = s[i + 1] - s[i]
            if s[i + 1] == end { return x + d * dt }
            let x2 = x + d * dt
            let d2 = derivative(x2, s[i + 1], try run.model(x2, s[i + 1]))
            if s[i + 2] == end {
                let w = 2 * s[0]
                let w2 = s[i + 1] / w
                let w1 = 1 - w2
                return x + (d * w1 + d2 * w2) * dt
            }
            let dt2 = s[i + 2] - s[i + 1]
            let x3 = x2 + d2 * dt2
            let d3 = derivative(x3, s[i + 2], try run.model(x3, s[i + 2]))
            let w = 3 * s[0]
            let w2 = s[i + 1] / w, w3 = s[i + 2] / w
            let w1 = 1 - w2 - w3
            return x + (w1 * d + w2 * d2 + w3 * d3) * dt
        }
    }

    static func dpm2(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        try run.eachStep(from: x) { step, x in
            let (sigma, next) = (step.sigma, step.next)
            let d = derivative(x, sigma, step.denoised)
            if next == 0 {
                let dt = next - sigma
                return x + d * dt
            }
            return try dpmSolver2Step(x, d, from: sigma, to: next, run)
        }
    }

    static func dpm2Ancestral(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        return try run.eachStep(from: x) { step, x in
            let (sigma, next) = (step.sigma, step.next)
            let (down, up) = ancestralStep(from: sigma, to: next)
            let d = derivative(x, sigma, step.denoised)
            if down == 0 {
                let dt = down - sigma
                return x + d * dt
            }
            let x2 = try dpmSolver2Step(x, d, from: sigma, to: down, run)
            return x2 + Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up
        }
    }

    /// The DPM-Solver-2 step: a half step to the log-midpoint sigma, then the full step with the
    /// midpoint's derivative. torch's lerp with weight 0.5 is `end - (end - start) * 0.5`.
    private static func dpmSolver2Step(_ x: Latent, _ d: Latent, from sigma: Float, to target: Float,
                                       _ run: SamplerRun) throws -> Latent {
        let logStart = log(sigma), logEnd = log(target)
        let sigmaMid = exp(logEnd - (logEnd - logStart) * 0.5)
        let dt1 = sigmaMid - sigma, dt2 = target - sigma
        let x2 = x + d * dt1
        let denoised2 = try run.model(x2, sigmaMid)
        let d2 = derivative(x2, sigmaMid, denoised2)
        return x + d2 * dt2
    }
}
