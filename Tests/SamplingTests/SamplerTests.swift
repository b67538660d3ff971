import Foundation
import Testing
import TensorCore
import TestSupport
@testable import Sampling

/// Oracle: the closed-form solution of the probability-flow ODE for a Gaussian prior
/// (`GaussianPriorDenoiser`): x(0) = x(T) / sqrt(1 + T^2), and N(0, 1) samples for the stochastic
/// samplers. Tolerances are stated per test; they follow from each method's order.
struct SamplerTests {
    static let sd15 = ModelSamplingDiscrete()
    static let shape = [1, 4, 32, 32]

    static func run(_ name: SamplerName, steps: Int, scheduler: Scheduler = .karras, seed: UInt64 = 7,
                    shape: [Int] = shape) throws -> (sample: Tensor, exact: Tensor) {
        let sigmas = try ksamplerSigmas(sd15, sampler: name, scheduler: scheduler, steps: steps)
        let noise = prepareNoise(shape: shape, seed: seed)
        let sample = try runSampler(name, denoiser: GaussianPriorDenoiser(), noise: noise,
                                    latentImage: Tensor.zeros(shape), sigmas: sigmas,
                                    sigmaMax: sd15.sigmaMax, seed: seed)
        // Max denoise: x(T) = noise * sqrt(1 + T^2), so the exact x(0) is the noise itself. dpm_fast
        // and dpm_adaptive stop at the last non-zero sigma instead, where x = noise * sqrt(1 + sigma^2).
        guard name == .dpm_fast || name == .dpm_adaptive, let last = sigmas.last(where: { $0 > 0 }) else {
            return (sample, noise)
        }
        let scale = (1 + Double(last) * Double(last)).squareRoot()
        return (sample, Tensor(shape: shape, scalars: noise.scalars.map { Float(Double($0) * scale) }))
    }

    static let deterministic: [SamplerName] = [.euler, .ddim, .heun, .heunpp2, .dpm_2, .lms, .dpmpp_2m, .ipndm, .ipndm_v,
                                               .uni_pc, .uni_pc_bh2, .euler_cfg_pp, .dpmpp_2m_cfg_pp, .res_multistep,
                                               .res_multistep_cfg_pp, .gradient_estimation, .gradient_estimation_cfg_pp, .exp_heun_2_x0, .deis, .dpm_fast]

    @Test(arguments: deterministic)
    func odeSamplersConvergeToTheExactSolution(_ name: SamplerName) throws {
        let coarse = try Self.run(name, steps: 10), fine = try Self.run(name, steps: 40)
        let coarseError = maxAbsDifference(coarse.sample, coarse.exact)
        let fineError = maxAbsDifference(fine.sample, fine.exact)
        print("\(name): max error 10 steps \(coarseError), 40 steps \(fineError)")
        // First-order methods (euler, ddim, heunpp2 whose sigma-weighted average of derivatives is
        // not the trapezoid rule, gradient_estimation whose gamma-2 extrapolation is not
        // Adams-Bashforth) gain 2.5-4x from 4x the steps, the others at least 8x.
        let firstOrder = [.euler, .ddim, .heunpp2, .euler_cfg_pp, .gradient_estimation,
                          .gradient_estimation_cfg_pp].contains(name)
        #expect(fineError < (firstOrder ? 0.2 : 0.02), "\(name)")
        #expect(coarseError / fineError > (firstOrder ? 2.5 : 6), "\(name)")
    }

    @Test(arguments: [SamplerName.dpm_2_ancestral, .dpmpp_2s_ancestral, .dpmpp_sde, .dpmpp_2m_sde, .dpmpp_2m_sde_heun,
                      .dpmpp_3m_sde, .ddpm, .euler_ancestral_cfg_pp, .res_multistep_ancestral,
                      .res_multistep_ancestral_cfg_pp, .seeds_2, .seeds_3, .exp_heun_2_x0_sde, .er_sde, .sa_solver, .sa_solver_pece])
    func stochasticSamplersDrawFromTheDataDistribution(_ name: SamplerName) throws {
        let (sample, noise) = try Self.run(name, steps: 100, seed: 11, shape: [1, 4, 64, 64])
        let (mean, std) = moments(sample)
        print("\(name): mean \(mean), std \(std), max |sample - ODE solution| \(maxAbsDifference(sample, noise))")
        // 16384 values: sampling error of the std ~0.6%; the methods' own bias at 100 steps is a few %.
        #expect(abs(mean) < 0.03 && abs(std - 1) < 0.04, "\(name)")
        // Fresh noise was added: the sample is not the deterministic ODE solution.
        #expect(maxAbsDifference(sample, noise) > 0.1, "\(name)")
    }

    @Test func eulerAncestralLosesTheVarianceItsStepsPredict() throws {
        // For the Gaussian prior an euler_ancestral step is x' = a x + sigma_up z with
        // a = (1 + sigma sigma_down) / (1 + sigma^2): the variance follows exactly, and falls short
        // of 1 by the method's O(h) bias (about 14% of the std at 20 karras steps).
        let sigmas = try ksamplerSigmas(Self.sd15, sampler: .euler_ancestral, scheduler: .karras, steps: 20)
        var variance = 1 + Double(sigmas[0]) * Double(sigmas[0])
        for i in 0..<(sigmas.count - 1) {
            let s = Double(sigmas[i]), (down, up) = ancestralStep(from: sigmas[i], to: sigmas[i + 1])
            if down == 0 { variance /= (1 + s * s) * (1 + s * s); continue }
            let a = (1 + s * Double(down)) / (1 + s * s)
            variance = a * a * variance + Double(up) * Double(up)
        }
        let (_, std) = moments(try Self.run(.euler_ancestral, steps: 20, seed: 11, shape: [1, 4, 64, 64]).sample)
        print("euler_ancestral: std \(std), predicted \(variance.squareRoot())")
        #expect(abs(std / variance.squareRoot() - 1) < 0.02)
    }

    @Test func lcmVarianceFollowsItsRenoising() throws {
        // LCM for the Gaussian prior: x -> x / (1 + sigma^2) + sigma_next z, so the variance follows exactly.
        let sigmas = try ksamplerSigmas(Self.sd15, sampler: .lcm, scheduler: .karras, steps: 8)
        var variance = 1 + Double(sigmas[0]) * Double(sigmas[0])
        for i in 0..<(sigmas.count - 1) {
            let s = Double(sigmas[i]), next = Double(sigmas[i + 1])
            variance = variance / ((1 + s * s) * (1 + s * s)) + next * next
        }
        let (_, std) = moments(try Self.run(.lcm, steps: 8, seed: 11, shape: [1, 4, 64, 64]).sample)
        print("lcm: std \(std), predicted \(variance.squareRoot())")
        #expect(abs(std / variance.squareRoot() - 1) < 0.02)
    }

    @Test func ancestralSamplerReproducesItsSeedAndFailsAtTheLargestSeed() throws {
        let a = try Self.run(.euler_ancestral, steps: 6, seed: 3).sample
        let b = try Self.run(.euler_ancestral, steps: 6, seed: 3).sample
        #expect(a.scalars == b.scalars)
        // ComfyUI: seed + 1 = 2^64 makes torch raise "Overflow when unpacking long".
        #expect(throws: SeedOverflow(seed: .max)) {
            try Self.run(.euler_ancestral, steps: 6, seed: .max, shape: [1, 4, 8, 8])
        }
    }

    @Test func firstStepInputIsTheScaledNoiseOfComfyUI() throws {
        // Oracle: expected/unet.safetensors first_step/x = prepare_noise(seed 1234) * sqrt(1 + sigma^2).
        let sigmas = try ksamplerSigmas(Self.sd15, sampler: .euler, scheduler: .normal, steps: 20)
        let recorder = RecordingDenoiser()
        _ = try runSampler(.euler, denoiser: recorder, noise: prepareNoise(shape: [1, 4, 8, 8], seed: 1234),
                           latentImage: Tensor.zeros([1, 4, 8, 8]), sigmas: sigmas, sigmaMax: Self.sd15.sigmaMax,
                           seed: 1234)
        let first = try #require(recorder.firstInput)
        let expected = try Reference.tensor("unet.safetensors", "first_step/x")
        // Bitwise: the noise is bit-exact and the scaling is one float32 multiply.
        #expect(first.scalars == expected.scalars, "\(closeness(first, expected) ?? "")")
        #expect(recorder.calls == 20)
    }

    @Test func cfgCombinesAsComfyUI() throws {
        // Oracle: expected/unet.safetensors, cfg 8: denoised_cfg = uncond + (cond - uncond) * 8.
        for point in ["first_step", "mid_step"] {
            let cond = try Reference.tensor("unet.safetensors", "\(point)/base/cond/denoised")
            let uncond = try Reference.tensor("unet.safetensors", "\(point)/base/uncond/denoised")
            let combined = CFG.combine(cond: cond, uncond: uncond, scale: 8)
            let expected = try Reference.tensor("unet.safetensors", "\(point)/base/denoised_cfg")
            #expect(combined.scalars == expected.scalars, "\(point): bitwise")
        }
        #expect(!CFG.needsUncond(scale: 1) && CFG.needsUncond(scale: 1.01))
    }

    @Test func progressIsReportedOncePerStepAndCancellationStopsBetweenSteps() throws {
        let sigmas = try ksamplerSigmas(Self.sd15, sampler: .heun, scheduler: .karras, steps: 5)
        var seen: [Int] = []
        let options = SamplingOptions(progress: { seen.append($0.index) }, isCancelled: { seen.count == 3 })
        let recorder = RecordingDenoiser()
        #expect(throws: SamplingError.cancelled(step: 3)) {
            try runSampler(.heun, denoiser: recorder, noise: Tensor.ones([1, 4, 2, 2]),
                           latentImage: Tensor.zeros([1, 4, 2, 2]), sigmas: sigmas,
                           sigmaMax: Self.sd15.sigmaMax, seed: 0, options: options)
        }
        #expect(seen == [0, 1, 2])
        #expect(recorder.calls == 6)   // heun: two evaluations per non-final step
    }

    @Test func nanFromTheModelIsAnError() throws {
        let sigmas = try ksamplerSigmas(Self.sd15, sampler: .euler, scheduler: .normal, steps: 4)
        let nan = RecordingDenoiser { Tensor(shape: $0.shape, repeating: .nan) }
        #expect(throws: SamplingError.nonFinite(step: 0, sigma: sigmas[0])) {
            try runSampler(.euler, denoiser: nan, noise: Tensor.ones([1, 4, 2, 2]),
                           latentImage: Tensor.zeros([1, 4, 2, 2]), sigmas: sigmas,
                           sigmaMax: Self.sd15.sigmaMax, seed: 0)
        }
    }

    @Test func wrongSizesAreErrors() throws {
        let sigmas = try ksamplerSigmas(Self.sd15, sampler: .euler, scheduler: .normal, steps: 4)
        let wrong = RecordingDenoiser { _ in Tensor.zeros([1, 4, 3, 3]) }
        #expect(throws: SamplingError.shapeMismatch(latent: [1, 4, 2, 2], denoised: [1, 4, 3, 3])) {
            try runSampler(.euler, denoiser: wrong, noise: Tensor.ones([1, 4, 2, 2]),
                           latentImage: Tensor.zeros([1, 4, 2, 2]), sigmas: sigmas,
                           sigmaMax: Self.sd15.sigmaMax, seed: 0)
        }
        #expect(throws: SamplingError.noiseShape(noise: [1, 4, 2, 2], latent: [1, 4, 4, 4])) {
            try runSampler(.euler, denoiser: RecordingDenoiser(), noise: Tensor.ones([1, 4, 2, 2]),
                           latentImage: Tensor.zeros([1, 4, 4, 4]), sigmas: sigmas,
                           sigmaMax: Self.sd15.sigmaMax, seed: 0)
        }
    }

    @Test func emptySigmasReturnTheLatentUnchanged() throws {
        let latent = prepareNoise(shape: [1, 4, 2, 2], seed: 5)
        let out = try runSampler(.euler, denoiser: RecordingDenoiser(), noise: Tensor.ones([1, 4, 2, 2]),
                                 latentImage: latent, sigmas: [], sigmaMax: Self.sd15.sigmaMax,
                                 seed: 0)
        #expect(out.scalars == latent.scalars)
    }

    @Test func dpmpp2SAncestralCFGPlusPlusUsesTheSecondCallsUncond() throws {
        // ComfyUI's hook overwrites the uncond during the second model call, and the final update
        // reads it afterwards: with uncond == denoised the step gains (sigma_next/sigma)(D - D2)
        // over the plain sampler, which shrinks the Gaussian prior's samples (std ~0.8 here).
        let quirky = try Self.run(.dpmpp_2s_ancestral_cfg_pp, steps: 20).sample
        let plain = try Self.run(.dpmpp_2s_ancestral, steps: 20).sample
        let (_, std) = moments(quirky)
        #expect(std > 0.6 && std < 0.95, "std \(std)")
        #expect(maxAbsDifference(quirky, plain) > 0.01)
    }

    @Test func dpmAdaptiveReachesTheExactSolutionWithinItsTolerance() throws {
        // The adaptive solver picks its own steps (rtol 0.05, atol 0.0078): its error stays at
        // the scale of those tolerances (5% of values up to ~4) whatever the schedule's step count.
        let coarse = try Self.run(.dpm_adaptive, steps: 4), fine = try Self.run(.dpm_adaptive, steps: 40)
        let errors = [maxAbsDifference(coarse.sample, coarse.exact), maxAbsDifference(fine.sample, fine.exact)]
        print("dpm_adaptive: max error \(errors)")
        #expect(errors.allSatisfy { $0 < 0.2 })
        #expect(abs(errors[0] - errors[1]) < 1e-6)   // the schedule only sets the end points
    }

    @Test func cfgPlusPlusNeedsTheUnconditionalPrediction() {
        #expect(throws: SamplingError.needsUnconditionalPrediction) {
            try runSampler(.euler_cfg_pp, denoiser: RecordingDenoiser(), noise: Tensor.ones([1, 4, 2, 2]),
                           latentImage: Tensor.zeros([1, 4, 2, 2]), sigmas: [1, 0.5, 0],
                           sigmaMax: Self.sd15.sigmaMax, seed: 0)
        }
    }

    @Test func everySamplerNameIsImplemented() {
        #expect(Set(SamplerName.allCases) == SamplerName.implemented)
    }

    @Test func samplerNamesAreComfyUIs() throws {
        // Oracle: ComfyUI 0.8.0 comfy/samplers.py SAMPLER_NAMES (44 names, this order).
        #expect(SamplerName.allCases.count == 44)
        #expect(SamplerName.allCases.first == .euler && SamplerName.allCases.last == .uni_pc_bh2)
        #expect(SamplerName.uni_pc.discardsPenultimateSigma && !SamplerName.euler.discardsPenultimateSigma)
    }

    @Test func lmsCoefficientsPartitionTheStep() {
        // The Lagrange basis sums to 1, so the coefficients sum to t[i+1] - t[i] (to quad's and float32's precision).
        let t: [Float] = [14.6, 9.7, 6.4, 4.1, 2.5, 1.4, 0]
        for i in 3..<5 {
            let sum = (0..<4).map { LinearMultistep.coefficient(order: 4, t, i, $0) }.reduce(0, +)
            let width = Double(t[i + 1]) - Double(t[i])
            #expect(abs(sum - width) < 1e-5 * abs(width), "step \(i)")
        }
    }

    @Test func smallLinearSolveSolves() {
        let x: [Float] = SmallLinearSolve.solve([[1, 1, 1], [0.5, -2, 1], [0.25, 4, 1]], [3, -0.5, 5.25])
        #expect(zip(x, [1, 1, 1] as [Float]).allSatisfy { abs($0 - $1) < 1e-5 }, "\(x)")
    }
}
