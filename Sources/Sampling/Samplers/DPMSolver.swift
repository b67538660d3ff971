// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py DPMSolver (dpm_solver_fast and
// dpm_solver_adaptive with eta 0, the KSampler defaults) and the dpm_fast / dpm_adaptive wrappers
// of comfy/samplers.py ksampler(): t = -log sigma from the first sigma down to the last non-zero
// one. With eta 0 torch still draws noise and adds it times 0; the draws are skipped here.
// dpm_adaptive's error norm is a float32 torch.linalg.norm in ComfyUI and a double sum here, so
// an accept/reject decision right at the threshold could differ.
import Foundation

enum DPMSolver {
    private struct Solver {
        let run: SamplerRun
        /// The eps cache of one step: keyed by "eps", "eps_r1", "eps_r2" as in the Python.
        var cache: [String: Latent] = [:]

        static func sigma(_ t: Float) -> Float { exp(-t) }

        mutating func eps(_ key: String, _ x: Latent, _ t: Float) throws -> Latent {
            if let hit = cache[key] { return hit }
            let eps = (x - (try run.model(x, Self.sigma(t)))) / Self.sigma(t)
            cache[key] = eps
            return eps
        }

        mutating func step1(_ x: Latent, _ t: Float, _ tNext: Float) throws -> Latent {
            let h = tNext - t
            let eps = try eps("eps", x, t)
            return x - Self.sigma(tNext) * expm1(h) * eps
        }

        mutating func step2(_ x: Latent, _ t: Float, _ tNext: Float, r1: Double = 0.5) throws -> Latent {
            let h = tNext - t
            let eps = try eps("eps", x, t)
            let s1 = t + Float(r1) * h
            let u1 = x - Self.sigma(s1) * expm1(Float(r1) * h) * eps
            let epsR1 = try self.eps("eps_r1", u1, s1)
            return x - Self.sigma(tNext) * expm1(h) * eps - Self.sigma(tNext) / Float(2 * r1) * expm1(h) * (epsR1 - eps)
        }

        mutating func step3(_ x: Latent, _ t: Float, _ tNext: Float, r1: Double = 1.0 / 3, r2: Double = 2.0 / 3) throws -> Latent {
            let h = tNext - t
            let eps = try eps("eps", x, t)
            let s1 = t + Float(r1) * h, s2 = t + Float(r2) * h
            let u1 = x - Self.sigma(s1) * expm1(Float(r1) * h) * eps
            let epsR1 = try self.eps("eps_r1", u1, s1)
            let r2h = Float(r2) * h
            let u2 = x - Self.sigma(s2) * expm1(r2h) * eps
                - Self.sigma(s2) * Float(r2 / r1) * (expm1(r2h) / r2h - 1) * (epsR1 - eps)
            let epsR2 = try self.eps("eps_r2", u2, s2)
            return x - Self.sigma(tNext) * expm1(h) * eps - Self.sigma(tNext) / Float(r2) * (expm1(h) / h - 1) * (epsR2 - eps)
        }
    }

    /// The (t_start, t_end) ComfyUI passes: -log of the first sigma and of the last non-zero one.
    private static func span(_ sigmas: [Float]) -> (Float, Float) {
        var sigmaMin = sigmas[sigmas.count - 1]
        if sigmaMin == 0 { sigmaMin = sigmas[sigmas.count - 2] }
        return (-log(sigmas[0]), -log(sigmaMin))
    }

    static func fast(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        guard run.sigmas.count > 1 else { return x }
        let nfe = run.steps
        let (tStart, tEnd) = span(run.sigmas)
        let m = nfe / 3 + 1
        let ts = torchLinspace(tStart, tEnd, count: m + 1)
        let orders = nfe % 3 == 0 ? [Int](repeating: 3, count: m - 2) + [2, 1]
            : [Int](repeating: 3, count: m - 1) + [nfe % 3]
        var x = x
        for (i, order) in orders.enumerated() {
            try run.begin(i)
            var solver = Solver(run: run)
            let t = ts[i], tNext = ts[i + 1]
            let eps = try solver.eps("eps", x, t)
            run.report(i, sigma: Solver.sigma(t), x: x, denoised: x - Solver.sigma(t) * eps)
            switch order {
            case 1: x = try solver.step1(x, t, tNext)
            case 2: x = try solver.step2(x, t, tNext)
            default: x = try solver.step3(x, t, tNext)
            }
        }
        return x
    }

    static func adaptive(_ x: Latent, _ run: SamplerRun) throws -> Latent {
        guard run.sigmas.count > 1 else { return x }
        let (tStart, tEnd) = span(run.sigmas)
        let atol: Float = 0.0078, rtol: Float = 0.05
        var controller = StepSizeController(h: 0.05, order: 3)
        var s = tStart, x = x, xPrevious = x
        var step = 0
        while s < tEnd - 1e-5 {
            try run.begin(step)
            var solver = Solver(run: run)
            let t = min(tEnd, s + Float(controller.h))
            let eps = try solver.eps("eps", x, s)
            let denoised = x - Solver.sigma(s) * eps
            let low = try solver.step2(x, s, t, r1: 1.0 / 3)
            let high = try solver.step3(x, s, t)
            let accept = controller.propose(error: scaledError(low, high, xPrevious, atol: atol, rtol: rtol))
            if accept {
                xPrevious = low
                x = high
                s = t
            }
            run.report(step, sigma: Solver.sigma(s), x: x, denoised: denoised)
            step += 1
        }
        return x
    }

    /// norm((low - high) / max(atol, rtol * max(|low|, |previous|))) / sqrt(numel).
    private static func scaledError(_ low: Latent, _ high: Latent, _ previous: Latent, atol: Float, rtol: Float) -> Double {
        let l = low.tensor.scalars, h = high.tensor.scalars, p = previous.tensor.scalars
        var sum = 0.0
        for i in 0..<l.count {
            let delta = max(atol, rtol * max(abs(l[i]), abs(p[i])))
            let e = Double((l[i] - h[i]) / delta)
            sum += e * e
        }
        return sum.squareRoot() / Double(l.count).squareRoot()
    }

    /// PIDStepSizeController with ComfyUI's defaults (pcoeff 0, icoeff 1, dcoeff 0, safety 0.81).
    private struct StepSizeController {
        var h: Double
        let b1: Double
        var errors: [Double] = []

        init(h: Double, order: Double) {
            self.h = h
            b1 = 1 / order
        }

        mutating func propose(error: Double) -> Bool {
            let inverse = 1 / (error + 1e-8)
            if errors.isEmpty { errors = [inverse, inverse, inverse] }
            errors[0] = inverse
            // b2 = b3 = 0: x ** 0 == 1 in Python, including for inf.
            let factor = 1 + atan(pow(errors[0], b1) - 1)
            let accept = factor >= 0.81
            if accept { errors[2] = errors[1]; errors[1] = errors[0] }
            h *= factor
            return accept
        }
    }
}
