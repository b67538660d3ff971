// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_deis (max_order 3, deis_mode "tab")
// and comfy/k_diffusion/deis.py get_deis_coeff_list: Adams-type coefficients integrated over the
// VP time of fixed EDM constants (sigma_min 0.002, sigma_max 80, epsilon 1e-3), 10000 points.
// ComfyUI evaluates those integrals in float32 with autograd and a 10000-term torch.sum; here
// they are evaluated in double (the derivative of log alpha in closed form), so coefficients
// agree to about float32 precision, not bitwise.
import Foundation

enum DEIS {
    static func sample(_ x: Latent, _ run: SamplerRun, maxOrder: Int = 3) throws -> Latent {
        let coefficients = coefficientList(run.sigmas, maxOrder: maxOrder)
        var xNext = x
        var buffer: [Latent] = []
        for i in 0..<run.steps {
            try run.begin(i)
            let tCur = run.sigmas[i], tNext = run.sigmas[i + 1]
            let xCur = xNext
            let denoised = try run.model(xCur, tCur)
            run.report(i, x: xCur, denoised: denoised)
            let dCur = (xCur - denoised) / tCur
            let order = tNext <= 0 ? 1 : min(maxOrder, i + 1)
            if order == 1 {
                xNext = xCur + (tNext - tCur) * dCur
            } else {
                let c = coefficients[i].map(Float.init)
                var next = xCur + c[0] * dCur
                for k in 1..<order { next = next + c[k] * buffer[buffer.count - k] }
                xNext = next
            }
            if buffer.count == maxOrder - 1 { buffer.removeFirst() }
            buffer.append(dCur)
        }
        return xNext
    }

    /// get_deis_coeff_list(t_steps, max_order, N=10000, deis_mode="tab").
    static func coefficientList(_ sigmas: [Float], maxOrder: Int, points n: Int = 10000) -> [[Double]] {
        let epsilon = 1e-3, sigmaMin = 0.002, sigmaMax = 80.0
        let betaD = 2 * (log(sigmaMin * sigmaMin + 1) / epsilon - log(sigmaMax * sigmaMax + 1)) / (epsilon - 1)
        let betaMin = log(sigmaMax * sigmaMax + 1) - 0.5 * betaD
        let beta0 = betaMin, beta1 = betaD + betaMin
        let t = sigmas.map { s -> Double in
            let s = Double(s)
            return ((betaMin * betaMin + 2 * betaD * log(s * s + 1)).squareRoot() - betaMin) / betaD
        }
        func integrand(_ tau: Double) -> Double {
            let alpha = exp(-0.5 * tau * tau * (beta1 - beta0) - tau * beta0)
            let dLogAlpha = -(tau * (beta1 - beta0) + beta0)
            return -0.5 * dLogAlpha / (alpha * (1 - alpha)).squareRoot()
        }
        var list: [[Double]] = []
        for i in 0..<max(t.count - 1, 0) {
            let order = min(i + 1, maxOrder)
            guard order > 1 else { list.append([]); continue }
            let (start, end) = (t[i], t[i + 1])
            let dtau = (end - start) / Double(n)
            let previous = (0..<order).map { t[i - $0] }
            let taus = (0..<n).map { start + (end - start) * Double($0) / Double(n - 1) }
            let weights = taus.map(integrand)
            list.append((0..<order).map { j in
                var sum = 0.0
                for (tau, w) in zip(taus, weights) {
                    var poly = 1.0
                    for k in 0..<order where k != j { poly *= (tau - previous[k]) / (previous[j] - previous[k]) }
                    sum += w * poly
                }
                return sum * dtau
            })
        }
        return list
    }
}
