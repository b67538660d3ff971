import Foundation
import Testing
import TensorCore
import TestSupport
@testable import Sampling

/// Oracle: expected/sigmas.safetensors + sigmas.json (ComfyUI 0.8.0 ModelSamplingDiscrete of the
/// SD1.5 checkpoint, calculate_sigmas, KSampler(...).sigmas). Bitwise where ComfyUI's float32
/// arithmetic is replayed operation by operation (`bitwise` below), else 1e-6 relative: normal,
/// sgm_uniform, exponential and kl_optimal end in torch's vectorised exp/tan (MKL/SLEEF), which
/// differ from libm's expf/tanf by one ULP on a few values. The first sigma is bitwise for all.
struct ScheduleTests {
    static let file = "sigmas.safetensors"
    static let sd15 = ModelSamplingDiscrete()
    /// Schedules that only index the sigma table or use basic float32 arithmetic.
    static let bitwise: Set<Scheduler> = [.simple, .ddimUniform, .beta, .linearQuadratic, .karras]

    static func entries(_ section: String) throws -> [[String: Any]] {
        let json = try #require(Reference.json("sigmas.json") as? [String: Any])
        return try #require(json[section] as? [[String: Any]])
    }

    static func compare(_ actual: [Float], _ key: String, bitwise: Bool) throws -> Float {
        let expected = try Reference.tensor(file, key).scalars
        #expect(actual.count == expected.count, "\(key): \(actual.count) sigmas, expected \(expected.count)")
        guard actual.count == expected.count else { return .infinity }
        var worst: Float = 0
        #expect(actual[0].bitPattern == expected[0].bitPattern, "\(key): first sigma \(actual[0]) vs \(expected[0])")
        for (a, e) in zip(actual, expected) {
            let relative = e == 0 ? abs(a) : abs(a - e) / abs(e)
            worst = max(worst, relative)
            if bitwise { #expect(a.bitPattern == e.bitPattern, "\(key): \(actual) vs \(expected)") }
        }
        #expect(worst <= 1e-6, "\(key): relative error \(worst)")
        return worst
    }

    @Test func sigmaTableMatchesComfyUI() throws {
        let sigmas = Tensor(shape: [1000], scalars: Self.sd15.sigmas)
        let logs = Tensor(shape: [1000], scalars: Self.sd15.logSigmas)
        #expect(closeness(sigmas, try Reference.tensor(Self.file, "model_sampling/sigmas")) == nil)
        #expect(closeness(logs, try Reference.tensor(Self.file, "model_sampling/log_sigmas")) == nil)
    }

    @Test func sigmaTimestepMappingMatchesComfyUI() throws {
        let sigmaIn = try Reference.tensor(Self.file, "mapping/sigma_in").scalars
        let timesteps = try Reference.tensor(Self.file, "mapping/timestep_of_sigma").scalars
        #expect(sigmaIn.map(Self.sd15.timestep) == timesteps)
        let timestepIn = try Reference.tensor(Self.file, "mapping/timestep_in").scalars
        let sigmas = Tensor(shape: [8], scalars: timestepIn.map(Self.sd15.sigma))
        #expect(closeness(sigmas, try Reference.tensor(Self.file, "mapping/sigma_of_timestep"), relative: 1e-6) == nil)
    }

    @Test func percentToSigmaMatchesComfyUI() throws {
        let json = try #require(Reference.json("sigmas.json") as? [String: Any])
        let mapping = try #require(json["mapping"] as? [String: Any])
        let table = try #require(mapping["percent_to_sigma"] as? [String: Double])
        for (percent, sigma) in table {
            let actual = Self.sd15.percentToSigma(try #require(Double(percent)))
            #expect(abs(actual - sigma) <= 1e-6 * max(1, abs(sigma)), "percent \(percent)")
        }
    }

    @Test func calculateSigmasMatchesComfyUI() throws {
        var report: [String] = []
        for entry in try Self.entries("calculate_sigmas") {
            let key = try #require(entry["key"] as? String)
            let schedulerName = try #require(entry["scheduler"] as? String)
            let scheduler = try #require(Scheduler(rawValue: schedulerName))
            let steps = try #require(entry["steps"] as? Int)
            if scheduler == .klOptimal && steps == 1 {
                #expect(throws: ScheduleError.klOptimalNeedsTwoSteps) {
                    try calculateSigmas(Self.sd15, scheduler: scheduler, steps: steps)
                }
                #expect(try Reference.tensor(Self.file, key).scalars[0].isNaN)   // what ComfyUI does
                continue
            }
            let actual = try calculateSigmas(Self.sd15, scheduler: scheduler, steps: steps)
            let worst = try Self.compare(actual, key, bitwise: Self.bitwise.contains(scheduler))
            let exact = try actual == Reference.tensor(Self.file, key).scalars
            report.append("\(key): max rel \(worst)\(exact ? " (bitwise)" : "")")
        }
        print(report.joined(separator: "\n"))
    }

    @Test func ksamplerSigmasMatchComfyUI() throws {
        var report: [String] = []
        for entry in try Self.entries("ksampler") {
            let key = try #require(entry["key"] as? String)
            let schedulerName = try #require(entry["scheduler"] as? String)
            let scheduler = try #require(Scheduler(rawValue: schedulerName))
            let samplerName = try #require(entry["sampler"] as? String)
            let sampler = try #require(SamplerName(rawValue: samplerName))
            let steps = try #require(entry["steps"] as? Int), denoise = try #require(entry["denoise"] as? Double)
            let actual = try ksamplerSigmas(Self.sd15, sampler: sampler, scheduler: scheduler,
                                            steps: steps, denoise: denoise)
            let worst = try Self.compare(actual, key, bitwise: Self.bitwise.contains(scheduler))
            let exact = try actual == Reference.tensor(Self.file, key).scalars
            report.append("\(key): max rel \(worst)\(exact ? " (bitwise)" : "")")
        }
        print(report.joined(separator: "\n"))
    }

    @Test func denoiseZeroGivesNoSigmas() throws {
        #expect(try ksamplerSigmas(Self.sd15, sampler: .euler, scheduler: .normal, steps: 20, denoise: 0).isEmpty)
    }

    /// Before the fix both trapped in `Int(Double(steps) / denoise)` (SIGILL).
    @Test func denoiseNaNIsAnErrorNotATrap() {
        #expect(throws: ScheduleError.denoiseNotANumber) {
            try ksamplerSigmas(Self.sd15, sampler: .euler, scheduler: .normal, steps: 20, denoise: .nan)
        }
    }

    @Test func tinyDenoiseIsAnErrorNotATrap() {
        #expect(throws: ScheduleError.scheduleTooLong(steps: 20, denoise: 1e-300)) {
            try ksamplerSigmas(Self.sd15, sampler: .euler, scheduler: .normal, steps: 20, denoise: 1e-300)
        }
        let error = ScheduleError.scheduleTooLong(steps: 20, denoise: 1e-300)
        #expect(error.description.hasPrefix("denoise 1e-300 with 20 steps asks for a schedule of 1.9999999999999999e+301 steps"))
    }

    @Test func stepsBelowOneIsAnError() {
        #expect(throws: ScheduleError.stepsBelowOne(0)) {
            try calculateSigmas(Self.sd15, scheduler: .karras, steps: 0)
        }
    }

    @Test func betaQuantileMatchesKnownValues() {
        // Oracle: I_x(a, b) closed forms. Beta(1, 1) is uniform; Beta(2, 1) has cdf x^2;
        // Beta(0.5, 0.5) has cdf (2/pi) asin(sqrt x).
        #expect(abs(BetaDistribution.quantile(0.3, a: 1, b: 1) - 0.3) < 1e-15)
        #expect(abs(BetaDistribution.quantile(0.25, a: 2, b: 1) - 0.5) < 1e-15)
        let x = BetaDistribution.quantile(0.2, a: 0.5, b: 0.5)
        #expect(abs(2 / Double.pi * asin(x.squareRoot()) - 0.2) < 1e-14)
    }
}

/// Oracle: ComfyUI 0.8.0 KSampler.sample's slicing, worked by hand on a 5-sigma schedule.
struct KSamplerWindowTests {
    static let sigmas: [Float] = [10, 5, 2, 1, 0]

    @Test func noStepsGivenKeepsEverything() {
        #expect(ksamplerWindow(Self.sigmas) == .sample(Self.sigmas))
    }

    @Test func endStepCutsAndForcesFullDenoise() {
        #expect(ksamplerWindow(Self.sigmas, lastStep: 2) == .sample([10, 5, 2]))
        #expect(ksamplerWindow(Self.sigmas, lastStep: 2, forceFullDenoise: true) == .sample([10, 5, 0]))
        #expect(ksamplerWindow(Self.sigmas, lastStep: 10000, forceFullDenoise: true) == .sample(Self.sigmas))
    }

    @Test func startStepDropsOrPassesThrough() {
        #expect(ksamplerWindow(Self.sigmas, startStep: 2) == .sample([2, 1, 0]))
        #expect(ksamplerWindow(Self.sigmas, startStep: 4) == .passThrough)
        #expect(ksamplerWindow(Self.sigmas, startStep: 1, lastStep: 3) == .sample([5, 2, 1]))
        #expect(ksamplerWindow([], startStep: 0) == .passThrough)
        #expect(ksamplerWindow([]) == .passThrough)
    }
}
