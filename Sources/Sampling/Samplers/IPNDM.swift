// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_ipndm and sample_ipndm_v
// (improved pseudo-numerical methods, max_order 4): Adams-Bashforth on the derivative history,
// with fixed (ipndm) or step-size-aware (ipndm_v) coefficients. Scalars are float32 as the Python.

enum IPNDM {
    static func sample(_ x: Latent, _ run: SamplerRun, variableStep: Bool, maxOrder: Int = 4) throws -> Latent {
        var xNext = x
        var buffer: [Latent] = []
        let t = run.sigmas
        for i in 0..<run.steps {
            try run.begin(i)
            let tCur = t[i], tNext = t[i + 1]
            let xCur = xNext
            let denoised = try run.model(xCur, tCur)
            run.report(i, x: xCur, denoised: denoised)
            let dCur = (xCur - denoised) / tCur
            let order = min(maxOrder, i + 1)
            if tNext == 0 {
                xNext = denoised
            } else if order == 1 {
                xNext = xCur + (tNext - tCur) * dCur
            } else if variableStep {
                xNext = xCur + (tNext - tCur) * variableCombination(order, t, i, dCur, buffer)
            } else {
                xNext = xCur + fixedCombination(order, dCur, buffer, dt: tNext - tCur)
            }
            if buffer.count == maxOrder - 1 {
                buffer.removeFirst()
            }
            buffer.append(dCur)
        }
        return xNext
    }

    /// ipndm: `(t_next - t_cur) * (a * d_cur - b * buffer[-1] + ...) / n`.
    private static func fixedCombination(_ order: Int, _ d: Latent, _ b: [Latent], dt: Float) -> Latent {
        let n = b.count
        switch order {
        case 2: return dt * (3 * d - b[n - 1]) / 2
        case 3: return dt * (23 * d - 16 * b[n - 1] + 5 * b[n - 2]) / 12
        default: return dt * (55 * d - 59 * b[n - 1] + 37 * b[n - 2] - 9 * b[n - 3]) / 24
        }
    }

    /// ipndm_v: coefficients from the last step sizes h_n, h_n_1, ... (float32 scalars).
    private static func variableCombination(_ order: Int, _ t: [Float], _ i: Int, _ d: Latent, _ b: [Latent]) -> Latent {
        let n = b.count
        let hN = t[i + 1] - t[i], hN1 = t[i] - t[i - 1]
        if order == 2 {
            let coeff1 = (2 + (hN / hN1)) / 2
            let coeff2 = -(hN / hN1) / 2
            return coeff1 * d + coeff2 * b[n - 1]
        }
        let hN2 = t[i - 1] - t[i - 2]
        let temp1 = (1 - hN / (3 * (hN + hN1)) * (hN * (hN + hN1)) / (hN1 * (hN1 + hN2))) / 2
        if order == 3 {
            let coeff1 = (2 + (hN / hN1)) / 2 + temp1
            let coeff2 = -(hN / hN1) / 2 - (1 + hN1 / hN2) * temp1
            let coeff3 = temp1 * hN1 / hN2
            return coeff1 * d + coeff2 * b[n - 1] + coeff3 * b[n - 2]
        }
        let hN3 = t[i - 2] - t[i - 3]
        let temp2a = (1 - hN / (3 * (hN + hN1))) / 2 + (1 - hN / (2 * (hN + hN1))) * hN / (6 * (hN + hN1 + hN2))
        let temp2 = temp2a * (hN * (hN + hN1) * (hN + hN1 + hN2)) / (hN1 * (hN1 + hN2) * (hN1 + hN2 + hN3))
        let ratio = hN1 * (hN1 + hN2) / (hN2 * (hN2 + hN3))
        let coeff1 = (2 + (hN / hN1)) / 2 + temp1 + temp2
        let coeff2 = -(hN / hN1) / 2 - (1 + hN1 / hN2) * temp1 - (1 + (hN1 / hN2) + ratio) * temp2
        let coeff3 = temp1 * hN1 / hN2 + ((hN1 / hN2) + ratio * (1 + hN2 / hN3)) * temp2
        let coeff4 = -temp2 * ratio * hN1 / hN2
        return coeff1 * d + coeff2 * b[n - 1] + coeff3 * b[n - 2] + coeff4 * b[n - 3]
    }
}
