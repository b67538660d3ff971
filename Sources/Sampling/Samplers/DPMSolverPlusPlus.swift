// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_dpmpp_2m, sample_dpmpp_2s_ancestral,
// sample_dpmpp_sde, sample_dpmpp_2m_sde (midpoint and heun) and sample_dpmpp_3m_sde, for eps/discrete models (where
// offset_first_sigma_for_snr changes nothing and lambda = -log sigma). eta = 1, s_noise = 1, r = 1/2.
// Scalars are float32 0-dim tensors in the Python; the expressions keep its order.
import Foundation

enum DPMSolverPlusPlus {
    /// t_fn / lambda_fn: -log(sigma). sigma_fn: exp(-t).
    private static func t(_ sigma: Float) -> Float { -log(sigma) }
    private static func sigmaOf(_ t: Float) -> Float { exp(-t) }

    static func twoM(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var oldDenoised: Latent?
        return try run.eachStep(from: x) { step, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            defer { oldDenoised = denoised }
            let tNow = t(sigma), tNext = t(next)
            let h = tNext - tNow
            guard let old = oldDenoised, next != 0 else {
                return (sigmaOf(tNext) / sigmaOf(tNow)) * x - expm1(-h) * denoised
            }
            let hLast = tNow - t(run.sigmas[step.index - 1])
            let r = hLast / h
            let denoisedD = (1 + 1 / (2 * r)) * denoised - (1 / (2 * r)) * old
            return (sigmaOf(tNext) / sigmaOf(tNow)) * x - expm1(-h) * denoisedD
        }
    }

    static func twoSAncestral(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        return try run.eachStep(from: x) { step, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            let (down, up) = ancestralStep(from: sigma, to: next)
            var x = x
            if down == 0 {
                let d = derivative(x, sigma, denoised)
                let dt = down - sigma
                x = x + d * dt
            } else {
                let tNow = t(sigma), tNext = t(down)
                let r: Float = 0.5
                let h = tNext - tNow
                let s = tNow + r * h
                let x2 = (sigmaOf(s) / sigmaOf(tNow)) * x - expm1(-h * r) * denoised
                let denoised2 = try run.model(x2, sigmaOf(s))
                x = (sigmaOf(tNext) / sigmaOf(tNow)) * x - expm1(-h) * denoised2
            }
            if next > 0 { x = x + Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up }
            return x
        }
    }

    static func sde(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        guard run.sigmas.count > 1 else { return x }
        let noise = run.brownianNoise(like: x)
        let r: Float = 0.5, fac: Float = 1 / (2 * 0.5)
        return try run.eachStep(from: x) { step, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            if next == 0 { return denoised }
            let lambdaS = t(sigma), lambdaT = t(next)
            let h = lambdaT - lambdaS
            let lambdaS1 = lambdaS + r * h
            let sigmaS1 = sigmaOf(lambdaS1)
            let alphaS = sigma * exp(lambdaS)
            let alphaS1 = sigmaS1 * exp(lambdaS1)
            let alphaT = next * exp(lambdaT)

            // Step 1
            var (down, up) = ancestralStep(from: exp(-lambdaS), to: exp(-lambdaS1))
            var hPrime = -log(down) - lambdaS
            var x2 = (alphaS1 / alphaS) * exp(-hPrime) * x - alphaS1 * expm1(-hPrime) * denoised
            x2 = x2 + alphaS1 * Latent(noise.noise(sigma: sigma, sigmaNext: sigmaS1)) * up
            let denoised2 = try run.model(x2, sigmaS1)

            // Step 2
            (down, up) = ancestralStep(from: exp(-lambdaS), to: exp(-lambdaT))
            hPrime = -log(down) - lambdaS
            let denoisedD = (1 - fac) * denoised + fac * denoised2
            let x3 = (alphaT / alphaS) * exp(-hPrime) * x - alphaT * expm1(-hPrime) * denoisedD
            return x3 + alphaT * Latent(noise.noise(sigma: sigma, sigmaNext: next)) * up
        }
    }

    enum SolverType { case midpoint, heun }

    static func twoMSDE(_ x: Latent, _ run: SamplerRun, solver: SolverType) throws -> Latent {
        guard run.sigmas.count > 1 else { return x }
        let noise = run.brownianNoise(like: x)
        let eta: Float = 1
        var oldDenoised: Latent?
        var h: Float?, hLast: Float?
        return try run.eachStep(from: x) { step, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            defer { (oldDenoised, hLast) = (denoised, h) }
            if next == 0 { return denoised }
            let (stepH, hEta, alphaT) = LambdaStep(from: sigma, to: next, eta: eta).terms
            h = stepH
            let growth = -expm1(-hEta)
            var x = next / sigma * exp(-stepH * eta) * x + alphaT * growth * denoised
            if let old = oldDenoised, let last = hLast {
                let r = last / stepH
                switch solver {
                case .heun:
                    x = x + alphaT * (growth / -hEta + 1) * (1 / r) * (denoised - old)
                case .midpoint:
                    x = x + 0.5 * alphaT * growth * (1 / r) * (denoised - old)
                }
            }
            let brownian = Latent(noise.noise(sigma: sigma, sigmaNext: next))
            return x + brownian * next * (-expm1(-2 * stepH * eta)).squareRoot()
        }
    }

    static func threeMSDE(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        guard run.sigmas.count > 1 else { return x }
        let noise = run.brownianNoise(like: x)
        let eta: Float = 1
        var denoised1: Latent?, denoised2: Latent?
        var h: Float?, h1: Float?, h2: Float?
        return try run.eachStep(from: x) { step, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            defer {
                (denoised1, denoised2) = (denoised, denoised1)
                (h1, h2) = (h, h1)
            }
            if next == 0 { return denoised }
            let (stepH, hEta, alphaT) = LambdaStep(from: sigma, to: next, eta: eta).terms
            h = stepH
            var x = next / sigma * exp(-stepH * eta) * x + alphaT * -expm1(-hEta) * denoised
            if let last2 = h2, let last1 = h1, let old1 = denoised1, let old2 = denoised2 {
                let r0 = last1 / stepH, r1 = last2 / stepH
                let d10 = (denoised - old1) / r0
                let d11 = (old1 - old2) / r1
                let d1 = d10 + (d10 - d11) * r0 / (r0 + r1)
                let d2 = (d10 - d11) / (r0 + r1)
                let phi2 = expm1(-hEta) / hEta + 1
                let phi3 = phi2 / hEta - 0.5
                x = x + (alphaT * phi2) * d1 - (alphaT * phi3) * d2
            } else if let last1 = h1, let old1 = denoised1 {
                let r = last1 / stepH
                let d = (denoised - old1) / r
                let phi2 = expm1(-hEta) / hEta + 1
                x = x + (alphaT * phi2) * d
            }
            let brownian = Latent(noise.noise(sigma: sigma, sigmaNext: next))
            return x + brownian * next * (-expm1(-2 * stepH * eta)).squareRoot()
        }
    }
}
