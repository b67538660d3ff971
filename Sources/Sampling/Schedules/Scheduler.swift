// Matches ComfyUI 0.8.0 comfy/samplers.py SCHEDULER_HANDLERS / calculate_sigmas and the
// k-diffusion schedules it uses (comfy/k_diffusion/sampling.py get_sigmas_karras/_exponential).
import Foundation

/// The `scheduler` choices of KSampler, in ComfyUI's order (`SCHEDULER_NAMES`).
public enum Scheduler: String, CaseIterable, Sendable {
    case simple, sgmUniform = "sgm_uniform", karras, exponential, ddimUniform = "ddim_uniform"
    case beta, normal, linearQuadratic = "linear_quadratic", klOptimal = "kl_optimal"
}

/// Why a schedule cannot be computed.
public enum ScheduleError: Error, Equatable, CustomStringConvertible {
    /// kl_optimal divides by (steps - 1): ComfyUI returns NaN as the first sigma for 1 step.
    case klOptimalNeedsTwoSteps
    case stepsBelowOne(Int)
    /// denoise NaN: ComfyUI's `int(steps / denoise)` raises "cannot convert float NaN to integer".
    case denoiseNotANumber
    /// steps / denoise beyond `maxScheduleSteps`.
    case scheduleTooLong(steps: Int, denoise: Double)

    public var description: String {
        switch self {
        case .klOptimalNeedsTwoSteps:
            return "scheduler 'kl_optimal' needs at least 2 steps (with 1 step ComfyUI computes "
                + "0/0 and samples with a NaN sigma)"
        case .stepsBelowOne(let steps):
            return "steps must be at least 1, got \(steps)"
        case .denoiseNotANumber:
            return "denoise is NaN: cannot convert float NaN to integer (the schedule has steps / denoise steps)"
        case let .scheduleTooLong(steps, denoise):
            return "denoise \(denoise) with \(steps) steps asks for a schedule of \(Double(steps) / denoise) steps; "
                + "SwiftComfy computes at most \(maxScheduleSteps) (denoise at least \(Double(steps) / Double(maxScheduleSteps)))"
        }
    }
}

/// `comfy.samplers.calculate_sigmas(model_sampling, scheduler, steps)`: steps + 1 (ddim_uniform,
/// beta: possibly different) Float32 sigmas, descending, ending in 0. Where ComfyUI's float32
/// arithmetic is reproduced operation by operation the result is bitwise equal to ComfyUI's.
public func calculateSigmas(_ sampling: ModelSampling, scheduler: Scheduler, steps: Int) throws -> [Float] {
    guard steps >= 1 else { throw ScheduleError.stepsBelowOne(steps) }
    switch scheduler {
    case .simple: return Schedules.simple(sampling, steps: steps)
    case .sgmUniform: return Schedules.normal(sampling, steps: steps, sgm: true)
    case .karras: return Schedules.karras(steps: steps, sigmaMin: sampling.sigmaMin, sigmaMax: sampling.sigmaMax)
    case .exponential:
        return Schedules.exponential(steps: steps, sigmaMin: sampling.sigmaMin, sigmaMax: sampling.sigmaMax)
    case .ddimUniform: return Schedules.ddimUniform(sampling, steps: steps)
    case .beta: return Schedules.beta(sampling, steps: steps)
    case .normal: return Schedules.normal(sampling, steps: steps, sgm: false)
    case .linearQuadratic: return Schedules.linearQuadratic(sampling, steps: steps)
    case .klOptimal:
        guard steps >= 2 else { throw ScheduleError.klOptimalNeedsTwoSteps }
        return Schedules.klOptimal(steps: steps, sigmaMin: sampling.sigmaMin, sigmaMax: sampling.sigmaMax)
    }
}

/// The individual schedules. Python floats are Double; torch tensors are Float32 and combine
/// with a Python scalar after rounding it to Float32, which is why the casts sit where they do.
enum Schedules {
    static func simple(_ s: ModelSampling, steps: Int) -> [Float] {
        let table = s.sigmas, stride = Double(table.count) / Double(steps)
        return (0..<steps).map { x in table[table.count - 1 - Int(Double(x) * stride)] } + [0]
    }

    static func ddimUniform(_ s: ModelSampling, steps: Int) -> [Float] {
        let table = s.sigmas
        var steps = steps
        var sigmas: [Float] = [0]
        if abs(table[1]) <= 0.00001 { steps += 1; sigmas = [] }
        let stride = max(table.count / steps, 1)
        sigmas += Swift.stride(from: 1, to: table.count, by: stride).map { table[$0] }
        return sigmas.reversed()
    }

    static func normal(_ s: ModelSampling, steps: Int, sgm: Bool) -> [Float] {
        let start = s.timestep(s.sigmaMax), end = s.timestep(s.sigmaMin)
        var timesteps: [Float]
        var appendZero = true
        if sgm {
            timesteps = Array(torchLinspace(start, end, count: steps + 1).dropLast())
        } else {
            var count = steps
            if abs(s.sigma(end)) <= 0.00001 { count += 1; appendZero = false }
            timesteps = torchLinspace(start, end, count: count)
        }
        var sigmas = timesteps.map { s.sigma($0) }
        if appendZero { sigmas.append(0) }
        return sigmas
    }

    static func karras(steps: Int, sigmaMin: Float, sigmaMax: Float, rho: Double = 7) -> [Float] {
        let ramp = torchLinspace(Float(0), Float(1), count: steps)
        let minInvRho = pow(Double(sigmaMin), 1 / rho), maxInvRho = pow(Double(sigmaMax), 1 / rho)
        let span = Float(minInvRho - maxInvRho), base = Float(maxInvRho)
        return ramp.map { powf(base + $0 * span, Float(rho)) } + [0]
    }

    static func exponential(steps: Int, sigmaMin: Float, sigmaMax: Float) -> [Float] {
        let logs = torchLinspace(Float(log(Double(sigmaMax))), Float(log(Double(sigmaMin))),
                                 count: steps)
        return logs.map { expf($0) } + [0]
    }

    static func beta(_ s: ModelSampling, steps: Int, alpha: Double = 0.6, beta: Double = 0.6) -> [Float] {
        let total = Double(s.sigmas.count - 1)
        var sigmas: [Float] = []
        var last = -1.0
        for i in 0..<steps {
            // numpy: 1 - linspace(0, 1, steps, endpoint=False) = 1 - i * (1 / steps)
            let p = 1 - Double(i) * (1 / Double(steps))
            let t = (BetaDistribution.quantile(p, a: alpha, b: beta) * total).rounded(.toNearestOrEven)
            if t != last { sigmas.append(s.sigmas[Int(t)]) }
            last = t
        }
        return sigmas + [0]
    }

    static func linearQuadratic(_ s: ModelSampling, steps: Int, thresholdNoise: Double = 0.025) -> [Float] {
        var schedule: [Double]
        if steps == 1 {
            schedule = [1, 0]
        } else {
            let linearSteps = steps / 2
            let linear = (0..<linearSteps).map { Double($0) * thresholdNoise / Double(linearSteps) }
            let stepDiff = Double(linearSteps) - thresholdNoise * Double(steps)
            let quadraticSteps = Double(steps - linearSteps)
            let quadraticCoef = stepDiff / (Double(linearSteps) * pow(quadraticSteps, 2))
            let linearCoef = thresholdNoise / Double(linearSteps) - 2 * stepDiff / pow(quadraticSteps, 2)
            let const = quadraticCoef * pow(Double(linearSteps), 2)
            let quadratic = (linearSteps..<steps).map { i -> Double in
                let i = Double(i)
                return quadraticCoef * pow(i, 2) + linearCoef * i + const
            }
            schedule = (linear + quadratic + [1]).map { 1 - $0 }
        }
        return schedule.map { Float($0) * s.sigmaMax }
    }

    static func klOptimal(steps: Int, sigmaMin: Float, sigmaMax: Float) -> [Float] {
        let atanMin = Float(atan(Double(sigmaMin))), atanMax = Float(atan(Double(sigmaMax)))
        let divisor = Float(steps - 1)
        return (0..<steps).map { i in
            let w = Float(i) / divisor
            return tanf(w * atanMin + (1 - w) * atanMax)
        } + [0]
    }
}
