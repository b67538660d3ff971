// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_seeds_2 (phi_1, r = 1/2),
// sample_exp_heun_2_x0 (seeds_2 with eta 0, r 1, phi_2), sample_exp_heun_2_x0_sde (eta 1, r 1,
// phi_2) and sample_seeds_3 (r_1 = 1/3, r_2 = 2/3), for eps models (lambda = -log sigma), with
// default_noise_sampler (seed + 1). Python floats meet tensors as Float(value).
import Foundation

enum Seeds {
    enum Solver { case phi1, phi2 }

    /// h * phi_1(h) and h * phi_2(h) of the exponential integrators (ei_h_phi_1/2).
    static func hPhi1(_ h: Float) -> Float { expm1(h) }
    static func hPhi2(_ h: Float) -> Float { (expm1(h) - h) / h }

    static func seeds2(_ x: Latent, _ run: SamplerRun, eta: Float, r: Double, solver: Solver) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        let injectNoise = eta > 0
        let fac = Float(1 / (2 * r))
        return try run.eachStep(from: x) { step, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            if next == 0 { return denoised }
            let terms = LambdaStep(from: sigma, to: next, eta: eta)
            let (lambdaS, lambdaT, h, hEta) = (terms.lambdaS, terms.lambdaT, terms.h, terms.hEta)
            let lambdaS1 = torchLerp(lambdaS, lambdaT, Float(r))
            let sigmaS1 = exp(-lambdaS1)
            let alphaS1 = sigmaS1 * exp(lambdaS1)
            let alphaT = terms.alphaT

            var x2 = sigmaS1 / sigma * exp(Float(-r) * h * eta) * x - alphaS1 * hPhi1(Float(-r) * hEta) * denoised
            var sdeNoise = Latent.zeros(like: x)
            if injectNoise {
                sdeNoise = (-expm1(Float(-2 * r) * h * eta)).squareRoot() * Latent(noise.noise(sigma: sigma, sigmaNext: sigmaS1))
                x2 = x2 + sdeNoise * sigmaS1
            }
            let denoised2 = try run.model(x2, sigmaS1)

            var x = x
            switch solver {
            case .phi1:
                let denoisedD = denoised.lerp(denoised2, fac)
                x = next / sigma * exp(-h * eta) * x - alphaT * hPhi1(-hEta) * denoisedD
            case .phi2:
                let b2 = hPhi2(-hEta) / Float(r)
                let b1 = hPhi1(-hEta) - b2
                x = next / sigma * exp(-h * eta) * x - alphaT * (b1 * denoised + b2 * denoised2)
            }
            if injectNoise {
                let segment = Float(r - 1) * h * eta
                sdeNoise = sdeNoise * exp(segment)
                sdeNoise = sdeNoise + (-expm1(segment * 2)).squareRoot() * Latent(noise.noise(sigma: sigmaS1, sigmaNext: next))
                x = x + sdeNoise * next
            }
            return x
        }
    }

    static func seeds3(_ x: Latent, _ run: SamplerRun, eta: Float = 1) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        let r1 = 1.0 / 3, r2 = 2.0 / 3
        return try run.eachStep(from: x) { step, x in
            let (sigma, next, denoised) = (step.sigma, step.next, step.denoised)
            if next == 0 { return denoised }
            let terms = LambdaStep(from: sigma, to: next, eta: eta)
            let (lambdaS, lambdaT, h, hEta) = (terms.lambdaS, terms.lambdaT, terms.h, terms.hEta)
            let lambdaS1 = torchLerp(lambdaS, lambdaT, Float(r1)), lambdaS2 = torchLerp(lambdaS, lambdaT, Float(r2))
            let sigmaS1 = exp(-lambdaS1), sigmaS2 = exp(-lambdaS2)
            let alphaS1 = sigmaS1 * exp(lambdaS1), alphaS2 = sigmaS2 * exp(lambdaS2)
            let alphaT = terms.alphaT

            var x2 = sigmaS1 / sigma * exp(Float(-r1) * h * eta) * x - alphaS1 * hPhi1(Float(-r1) * hEta) * denoised
            var sdeNoise = (-expm1(Float(-2 * r1) * h * eta)).squareRoot() * Latent(noise.noise(sigma: sigma, sigmaNext: sigmaS1))
            x2 = x2 + sdeNoise * sigmaS1
            let denoised2 = try run.model(x2, sigmaS1)

            let a32 = Float(r2 / r1) * hPhi2(Float(-r2) * hEta)
            let a31 = hPhi1(Float(-r2) * hEta) - a32
            var x3 = sigmaS2 / sigma * exp(Float(-r2) * h * eta) * x - alphaS2 * (a31 * denoised + a32 * denoised2)
            var segment = Float(r1 - r2) * h * eta
            sdeNoise = sdeNoise * exp(segment)
            sdeNoise = sdeNoise + (-expm1(segment * 2)).squareRoot() * Latent(noise.noise(sigma: sigmaS1, sigmaNext: sigmaS2))
            x3 = x3 + sdeNoise * sigmaS2
            let denoised3 = try run.model(x3, sigmaS2)

            let b3 = hPhi2(-hEta) / Float(r2)
            let b1 = hPhi1(-hEta) - b3
            let x4 = next / sigma * exp(-h * eta) * x - alphaT * (b1 * denoised + b3 * denoised3)
            segment = Float(r2 - 1) * h * eta
            sdeNoise = sdeNoise * exp(segment)
            sdeNoise = sdeNoise + (-expm1(segment * 2)).squareRoot() * Latent(noise.noise(sigma: sigmaS2, sigmaNext: next))
            return x4 + sdeNoise * next
        }
    }
}

/// torch.lerp(start, end, weight) on float32 as torch's CPU kernel computes it (fused multiply-add):
/// start + w (end - start) for |w| < 0.5, else end - (end - start)(1 - w).
func torchLerp(_ start: Float, _ end: Float, _ weight: Float) -> Float {
    abs(weight) < 0.5 ? start.addingProduct(weight, end - start) : end.addingProduct(-(end - start), 1 - weight)
}

extension Latent {
    /// torch.lerp(self, end, weight) elementwise.
    func lerp(_ end: Latent, _ weight: Float) -> Latent {
        var out = Latent.zeros(like: self)
        tensor.withUnsafeBufferPointer { a in
            end.tensor.withUnsafeBufferPointer { b in
                out.tensor.withUnsafeMutableBufferPointer { o in
                    for i in 0..<o.count { o[i] = torchLerp(a[i], b[i], weight) }
                }
            }
        }
        return out
    }
}
