// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_sa_solver / sample_sa_solver_pece
// (predictor order 3, corrector order 4, tau 1 for sigmas between percent_to_sigma(0.2) and
// percent_to_sigma(0.8), else 0) and comfy/k_diffusion/sa_solver.py's b coefficients, for eps
// models (lambda = -log sigma), with default_noise_sampler (seed + 1). The small float32 matrix
// products and solves may round differently from torch's in the last bits.
import Foundation

enum SASolver {
    static func sample(_ x: Latent, _ run: SamplerRun, pece: Bool) throws -> Latent {
        let sigmas = run.sigmas
        guard sigmas.count > 1 else { return x }
        var noiseSource = try run.ancestralNoise(like: x)
        let lambdas = sigmas.map { -log($0) }
        let sampling = run.options.modelSampling
        let startSigma = sampling.percentToSigma(0.2), endSigma = sampling.percentToSigma(0.8)
        func tau(_ sigma: Float) -> Float { startSigma >= Double(sigma) && Double(sigma) >= endSigma ? 1 : 0 }
        let predictorOrder = 3, correctorOrder = 4, maxOrder = 4
        var x = x, xPred = x
        var h: Float = 0, tauT: Float = 0
        var noise: Latent?
        var predictions: [Latent] = []
        let lowerOrderToEnd = sigmas[sigmas.count - 1] == 0
        for i in 0..<run.steps {
            try run.begin(i)
            var denoised = try run.model(xPred, sigmas[i])
            run.report(i, x: xPred, denoised: denoised)
            predictions.append(denoised)
            if predictions.count > maxOrder { predictions.removeFirst() }
            var predictorUsed = min(predictorOrder, predictions.count)
            var correctorUsed = i == 0 || (sigmas[i + 1] == 0 && !pece) ? 0 : min(correctorOrder, predictions.count)
            if lowerOrderToEnd {
                predictorUsed = min(predictorUsed, sigmas.count - 2 - i)
                correctorUsed = min(correctorUsed, sigmas.count - 1 - i)
            }
            // Corrector
            if correctorUsed == 0 {
                x = xPred
            } else {
                let b = coefficients(sigmaNext: sigmas[i], Array(lambdas[(i - correctorUsed + 1)...i]),
                                     lambdaS: lambdas[i - 1], lambdaT: lambdas[i], tau: tauT)
                x = sigmas[i] / sigmas[i - 1] * exp(-(tauT * tauT) * h) * x + combine(predictions.suffix(correctorUsed), b)
                if tauT > 0, let n = noise { x = x + n }
                if pece {
                    denoised = try run.model(x, sigmas[i])
                    predictions[predictions.count - 1] = denoised
                }
            }
            // Predictor
            if sigmas[i + 1] == 0 {
                xPred = denoised
            } else {
                tauT = tau(sigmas[i + 1])
                let b = coefficients(sigmaNext: sigmas[i + 1], Array(lambdas[(i - predictorUsed + 1)...i]),
                                     lambdaS: lambdas[i], lambdaT: lambdas[i + 1], tau: tauT)
                h = lambdas[i + 1] - lambdas[i]
                xPred = sigmas[i + 1] / sigmas[i] * exp(-(tauT * tauT) * h) * x + combine(predictions.suffix(predictorUsed), b)
                if tauT > 0 {
                    let drawn = Latent(noiseSource.noise(sigma: sigmas[i], sigmaNext: sigmas[i + 1]))
                    let n = drawn * sigmas[i + 1] * (-expm1(-2 * (tauT * tauT) * h)).squareRoot()
                    noise = n
                    xPred = xPred + n
                }
            }
        }
        return xPred
    }

    /// torch.tensordot(stack(predictions), b, dims=([1], [0])).
    private static func combine(_ predictions: ArraySlice<Latent>, _ b: [Float]) -> Latent {
        var total: Latent?
        for (p, c) in zip(predictions, b) { total = total.map { $0 + p * c } ?? p * c }
        return total ?? Latent.zeros(like: predictions[predictions.startIndex])
    }

    /// compute_stochastic_adams_b_coeffs (simple_order_2 off): the integrals of the Lagrange basis
    /// over [lambda_s, lambda_t] against exp((1 + tau^2) x), times alpha_t.
    static func coefficients(sigmaNext: Float, _ lambdas: [Float], lambdaS: Float, lambdaT: Float, tau: Float) -> [Float] {
        let n = lambdas.count
        let integrals = exponentialCoefficients(lambdaS, lambdaT, order: n, tau: tau)
        // torch.vander(lambdas, n, increasing=True).T: row j holds lambda_i^j.
        let vandermondeT = (0..<n).map { j in lambdas.map { powf($0, Float(j)) } }
        let lagrange = SmallLinearSolve.solve(vandermondeT, integrals)
        let alphaT = sigmaNext * exp(lambdaT)
        return lagrange.map { alphaT * $0 }
    }

    /// compute_exponential_coeffs: (1 + tau^2) * integral of exp((1 + tau^2) x) x^p over [s, t],
    /// exp((1 + tau^2) t) factored out, for p = 0 ..< order, by the integration-by-parts matrix.
    static func exponentialCoefficients(_ s: Float, _ t: Float, order: Int, tau: Float) -> [Float] {
        let tauMul = 1 + tau * tau
        let h = t - s
        let decay = exp(-tauMul * h)
        let products = (0..<order).map { p in powf(t, Float(p)) - powf(s, Float(p)) * decay }
        let logFactorial = (0..<order).map { Float(lgamma(Double($0 + 1))) }
        let logTauMul = Float(log(Double(tauMul)))
        return (0..<order).map { i in
            var sum: Float = 0
            for j in 0...i {
                var c = logFactorial[i] - logFactorial[j]
                if tau > 0 { c = c - Float(i - j) * logTauMul }
                let sign: Float = (i - j) % 2 == 0 ? 1 : -1
                sum = sum + exp(c) * sign * products[j]
            }
            return sum
        }
    }
}
