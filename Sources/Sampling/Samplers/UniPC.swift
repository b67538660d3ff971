// Matches ComfyUI 0.8.0 comfy/extra_samplers/uni_pc.py sample_unipc / sample_unipc_bh2: UniPC
// multistep, data prediction, time-uniform "timesteps" that are the sigmas themselves (the last
// one 0.001 instead of 0), order min(3, steps - 1), lower order at the end, variant bh1 or bh2.
import Foundation

enum UniPC {
    enum Variant { case bh1, bh2 }

    /// SigmaConvert: the VP schedule (alpha, sigma_t) of a sigma, in float32 as the Python.
    private static func logMeanCoefficient(_ sigma: Float) -> Float { 0.5 * log(1 / ((sigma * sigma) + 1)) }
    private static func alpha(_ t: Float) -> Float { exp(logMeanCoefficient(t)) }
    private static func std(_ t: Float) -> Float { (1 - exp(2 * logMeanCoefficient(t))).squareRoot() }
    private static func lambda(_ t: Float) -> Float {
        let logMean = logMeanCoefficient(t)
        return logMean - 0.5 * log(1 - exp(2 * logMean))
    }

    static func sample(_ noise: Latent, _ run: SamplerRun, variant: Variant) throws -> Latent {
        var timesteps = run.sigmas
        if timesteps.last == 0 { timesteps[timesteps.count - 1] = 0.001 }
        let steps = timesteps.count - 1
        let order = min(3, timesteps.count - 2)
        var x = noise / (1 + timesteps[0] * timesteps[0]).squareRoot()
        var models: [Latent] = [], times: [Float] = []
        let solver = Solver(run: run, variant: variant)
        for stepIndex in 0..<max(steps, 0) {
            try run.begin(stepIndex)
            if stepIndex == 0 {
                models = [try solver.dataPrediction(x, timesteps[0])]
                times = [timesteps[0]]
            } else if stepIndex < order {
                let t = timesteps[stepIndex]
                let (next, model) = try solver.update(x, models, times, t, order: stepIndex, useCorrector: true)
                x = next
                models.append(try model ?? solver.dataPrediction(x, t))
                times.append(t)
            } else {
                let last = stepIndex == steps - 1 ? stepIndex + 1 : stepIndex
                for step in stepIndex...last {
                    let t = timesteps[step]
                    let stepOrder = min(order, steps + 1 - step)
                    let (next, model) = try solver.update(x, models, times, t, order: stepOrder,
                                                          useCorrector: step != steps)
                    x = next
                    for i in 0..<(order - 1) { times[i] = times[i + 1]; models[i] = models[i + 1] }
                    times[times.count - 1] = t
                    if step < steps { models[models.count - 1] = try model ?? solver.dataPrediction(x, t) }
                }
            }
            run.report(stepIndex, x: x, denoised: models[models.count - 1])
        }
        return x / alpha(timesteps[steps])
    }

    private struct Solver {
        let run: SamplerRun
        let variant: Variant

        /// model_wrapper(predict_eps_sigma) + data_prediction_fn: eps from the denoiser, then x0.
        func dataPrediction(_ x: Latent, _ t: Float) throws -> Latent {
            let input = x * (t * t + 1).squareRoot()
            let eps = (input - (try run.model(input, t))) / t
            return (x - UniPC.std(t) * eps) / UniPC.alpha(t)
        }

        /// multistep_uni_pc_bh_update with predict_x0 = True.
        func update(_ x: Latent, _ models: [Latent], _ times: [Float], _ t: Float, order: Int,
                    useCorrector: Bool) throws -> (Latent, Latent?) {
            let tPrev0 = times[times.count - 1], modelPrev0 = models[models.count - 1]
            let lambdaPrev0 = UniPC.lambda(tPrev0), lambdaT = UniPC.lambda(t)
            let sigmaPrev0 = UniPC.std(tPrev0), sigmaT = UniPC.std(t)
            let alphaT = exp(UniPC.logMeanCoefficient(t))
            let h = lambdaT - lambdaPrev0
            var rks: [Float] = [], d1s: [Latent] = []
            for i in 1..<max(order, 1) {
                let rk = (UniPC.lambda(times[times.count - 1 - i]) - lambdaPrev0) / h
                rks.append(rk)
                d1s.append((models[models.count - 1 - i] - modelPrev0) / rk)
            }
            rks.append(1)
            let hh = -h
            let hPhi1 = expm1(hh)
            var hPhiK = hPhi1 / hh - 1
            var factorial = 1
            let bH = variant == .bh1 ? hh : expm1(hh)
            var r: [[Float]] = [], b: [Float] = []
            for i in 1...max(order, 1) {
                r.append(rks.map { i == 1 ? 1 : (i == 2 ? $0 : ($0 * $0)) })
                b.append(hPhiK * Float(factorial) / bH)
                factorial *= i + 1
                hPhiK = hPhiK / hh - Float(1 / Double(factorial))
            }
            let xBase = (sigmaT / sigmaPrev0) * x - (alphaT * hPhi1) * modelPrev0
            var xT = xBase
            if !d1s.isEmpty {
                let rhosP: [Float] = order == 2 ? [0.5] : SmallLinearSolve.solve(
                    Array(r.prefix(order - 1).map { Array($0.prefix(order - 1)) }), Array(b.prefix(order - 1)))
                xT = xBase - (alphaT * bH) * weightedSum(d1s, rhosP)
            }
            guard useCorrector else { return (xT, nil) }
            let rhosC: [Float] = order == 1 ? [0.5] : SmallLinearSolve.solve(r, b)
            let modelT = try dataPrediction(xT, t)
            let d1T = modelT - modelPrev0
            let correction = d1s.isEmpty ? rhosC[rhosC.count - 1] * d1T
                : weightedSum(d1s, Array(rhosC.dropLast())) + rhosC[rhosC.count - 1] * d1T
            return (xBase - (alphaT * bH) * correction, modelT)
        }

        /// torch.tensordot(D1s, rhos, dims=([1], [0])): sum over k of D1s[k] * rhos[k].
        private func weightedSum(_ d: [Latent], _ rhos: [Float]) -> Latent {
            var total = d[0] * rhos[0]
            for k in 1..<d.count { total = total + d[k] * rhos[k] }
            return total
        }
    }
}
