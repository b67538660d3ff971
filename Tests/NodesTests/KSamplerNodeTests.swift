import Execution
import Foundation
import Nodes
import Sampling
import TensorCore
import Testing
import TestSupport

/// KSampler / KSamplerAdvanced plumbing against ComfyUI 0.8.0's common_ksampler, CFGGuider and
/// calc_cond_batch (comfy/samplers.py), with `RecordingModel` (eps = gain · x_in + w · mean(context)).
/// Oracles are closed forms of that model; tolerances are float32 rounding (1e-5 relative).
@Suite struct KSamplerNodeTests {
    typealias H = KSamplerHarness
    let pos = H.conditioning(1), neg = H.conditioning(-1)
    let empty = LatentValue(samples: Tensor.zeros([1, 4, 8, 8]))

    static func ramp(_ shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { Float($0 % 17) / 17 - 0.4 })
    }

    /// sampling_function: cfg 1 (math.isclose) evaluates only the positive list, one item per
    /// call; any other cfg runs negative and positive as one batch of 2, uncond first.
    @Test func cfgOneSkipsTheNegativePassAndUncondComesFirst() throws {
        let single = RecordingModel(contextWeight: 1)
        _ = try H.run(KSampler.self, H.ksampler(model: single, positive: pos, negative: neg, latent: empty, ["cfg": .constant(1.0)]))
        #expect(single.calls.count == 3)
        #expect(single.calls.allSatisfy { $0.input.shape[0] == 1 && $0.context.scalars.allSatisfy { $0 == 1 } })

        let guided = RecordingModel(contextWeight: 1)
        _ = try H.run(KSampler.self, H.ksampler(model: guided, positive: pos, negative: neg, latent: empty))
        #expect(guided.calls.count == 3)
        for call in guided.calls {
            #expect(call.input.shape == [2, 4, 8, 8])
            #expect(call.context.batch(0).scalars.allSatisfy { $0 == -1 }, "uncond first")
            #expect(call.context.batch(1).scalars.allSatisfy { $0 == 1 })
            #expect(call.input.batch(0).scalars == call.input.batch(1).scalars)
        }
    }

    /// One progress event per step, value 1...total (latent_preview: update_absolute(step + 1, total)).
    @Test func reportsOneProgressEventPerStep() throws {
        let events = EventLog()
        _ = try H.run(KSampler.self, H.ksampler(model: RecordingModel(), positive: pos, negative: neg, latent: empty,
                                                ["steps": .constant(4)]), observer: events.observe)
        #expect(events.progress == [1, 2, 3, 4].map { ProgressEvent(value: $0, max: 4) })
    }

    /// Batch 2: the latent batch is repeated per entry ([u0, u1, c0, c1]) and each [1, M, D]
    /// context repeated to the batch (repeat_to_batch_size); noise continues one stream.
    @Test func batchesAboveOneRepeatTheContextPerItem() throws {
        let model = RecordingModel(contextWeight: 1)
        let latent = LatentValue(samples: Tensor.zeros([2, 4, 8, 8]))
        let out = try H.run(KSampler.self, H.ksampler(model: model, positive: pos, negative: neg, latent: latent, ["steps": .constant(1)]))
        #expect(out.samples.shape == [2, 4, 8, 8])
        let call = try #require(model.calls.first)
        #expect(call.input.shape == [4, 4, 8, 8])
        #expect(call.context.shape == [4, 77, 8])
        #expect((0..<4).map { call.context.batch($0).scalars[0] } == [-1, -1, 1, 1])
        let noise = prepareNoise(shape: [2, 4, 8, 8], seed: 1234)
        let sigma0 = model.modelSampling.sigmaMax
        let x0 = noise * (1 + sigma0 * sigma0).squareRoot() / (sigma0 * sigma0 + 1).squareRoot()
        #expect(closeness(call.input, concat([x0, x0], axis: 0), relative: 1e-6, absolute: 1e-6) == nil)
    }

    /// calc_cond_batch: entries of one list are averaged; contexts of 77 and 154 tokens run in
    /// one batch (the shorter tiled to the LCM), 77 and 385 (LCM ratio 5 > 4) in two calls.
    @Test func severalEntriesAreAveragedAndUnequalLengthsBatchedAsComfyUI() throws {
        let model = RecordingModel(gain: 0.5, contextWeight: 1)
        let two = ConditioningValue(H.conditioning(1).entries + H.conditioning(3).entries)
        let x = Self.ramp([1, 4, 8, 8]), sigma: Float = 2.5
        let denoised = try CFGDenoiser(model: model, positive: two, negative: neg, cfg: 1).denoise(x, sigma: sigma)
        #expect(model.calls.count == 1 && model.calls[0].input.shape[0] == 2)
        let xc = x / (sigma * sigma + 1).squareRoot()
        #expect(closeness(denoised, x - (xc * 0.5 + 2) * sigma, relative: 1e-6, absolute: 1e-6) == nil)

        let long = RecordingModel(contextWeight: 1)
        _ = try CFGDenoiser(model: long, positive: H.conditioning(2, tokens: 154), negative: neg, cfg: 8).denoise(x, sigma: sigma)
        #expect(long.calls.map(\.context.shape) == [[2, 154, 8]])
        let tiled = long.calls[0].context.batch(0).scalars
        #expect(tiled.allSatisfy { $0 == -1 })

        let tooLong = RecordingModel(contextWeight: 1)
        _ = try CFGDenoiser(model: tooLong, positive: H.conditioning(2, tokens: 385), negative: neg, cfg: 8).denoise(x, sigma: sigma)
        #expect(tooLong.calls.map(\.context.shape) == [[1, 385, 8], [1, 77, 8]])
    }

    /// CFG++ samplers always get the unconditional prediction, even at cfg 1.
    @Test func cfgPlusPlusSamplersRunTheNegativePassAtCfgOne() throws {
        let model = RecordingModel(contextWeight: 1)
        _ = try H.run(KSampler.self, H.ksampler(model: model, positive: pos, negative: neg, latent: empty,
                                                ["cfg": .constant(1.0), "sampler_name": .constant("euler_cfg_pp")]))
        #expect(model.calls.count == 3 && model.calls.allSatisfy { $0.input.shape[0] == 2 })
    }

    /// process_latent_in only for a non-zero latent; process_latent_out always. With eps = x_in
    /// every Euler step multiplies x by 1 + (σ' - σ) / sqrt(σ² + 1), so the output is closed-form.
    @Test func nonZeroLatentsAreScaledInAndEveryResultScaledOut() throws {
        let latent = LatentValue(samples: Self.ramp([1, 4, 8, 8]), batchIndex: [0])
        let model = RecordingModel()
        let out = try H.run(KSamplerAdvanced.self, Self.advanced(model: model, latent: latent, ["add_noise": .constant("disable")]))
        let sigmas = try ksamplerSigmas(model.modelSampling, sampler: .euler, scheduler: .normal, steps: 3)
        #expect(closeness(model.calls[0].input, latent.samples * 0.18215 / (sigmas[0] * sigmas[0] + 1).squareRoot(),
                          relative: 1e-6) == nil)
        #expect(closeness(out.samples, latent.samples * Self.eulerGain(sigmas), relative: 1e-5, absolute: 1e-7) == nil)
        #expect(out.batchIndex == [0], "the output copies the input dict")

        // An empty latent is not scaled in, but the result is scaled out: x0 = noise·sqrt(1 + σmax²).
        let fresh = RecordingModel()
        let sampled = try H.run(KSampler.self, H.ksampler(model: fresh, positive: pos, negative: neg, latent: empty))
        let x0 = prepareNoise(shape: [1, 4, 8, 8], seed: 1234) * (1 + sigmas[0] * sigmas[0]).squareRoot()
        #expect(closeness(sampled.samples, x0 * Self.eulerGain(sigmas) / 0.18215, relative: 1e-5, absolute: 1e-6) == nil)
    }

    /// denoise 0 gives no sigmas: the latent comes back unchanged and the model never runs.
    @Test func denoiseZeroPassesTheLatentThrough() throws {
        let model = RecordingModel()
        let latent = LatentValue(samples: Self.ramp([1, 4, 8, 8]))
        let out = try H.run(KSampler.self, H.ksampler(model: model, positive: pos, negative: neg, latent: latent, ["denoise": .constant(0.0)]))
        #expect(out.samples.scalars == latent.samples.scalars && model.calls.isEmpty)
    }

    /// denoise NaN and 1e-300 pass validation (as in ComfyUI) and trapped in `Int(steps / denoise)`;
    /// now they are node errors and the model never runs.
    @Test(arguments: [(Double.nan, "denoise is NaN: cannot convert float NaN to integer"),
                      (1e-300, "denoise 1e-300 with 3 steps asks for a schedule of 3e+300 steps")])
    func unusableDenoiseIsAnErrorNotATrap(denoise: Double, message: String) throws {
        let model = RecordingModel()
        let latent = LatentValue(samples: Self.ramp([1, 4, 8, 8]))
        let error = try #require(throws: Sampling.ScheduleError.self) {
            try H.run(KSampler.self, H.ksampler(model: model, positive: pos, negative: neg, latent: latent, ["denoise": .constant(.double(denoise))]))
        }
        #expect("\(error)".hasPrefix(message))
        #expect(model.calls.isEmpty)
    }

    /// Oracle: ComfyUI 0.8.0 seeds the ancestral noise with seed + 1; torch refuses 2^64 with
    /// RuntimeError "Overflow when unpacking long" before the first step. Before, it wrapped to 0.
    @Test func ancestralSamplerAtTheLargestSeedFailsAsInComfyUI() throws {
        let model = RecordingModel()
        let latent = LatentValue(samples: Self.ramp([1, 4, 8, 8]))
        let values = H.ksampler(model: model, positive: pos, negative: neg, latent: latent,
                                ["seed": .constant(.uint(.max)), "sampler_name": .constant("euler_ancestral")])
        let error = try #require(throws: SeedOverflow.self) { try H.run(KSampler.self, values) }
        #expect("\(error)".hasPrefix("Overflow when unpacking long"))
        let euler = H.ksampler(model: model, positive: pos, negative: neg, latent: latent, ["seed": .constant(.uint(.max))])
        #expect(throws: Never.self) { try H.run(KSampler.self, euler) }
    }

    /// KSamplerAdvanced: the full schedule for `steps`, cut to [start, end]; the last sigma set to
    /// 0 unless return_with_leftover_noise; start at or after the end passes the latent through.
    @Test(arguments: ["disable", "enable"])
    func advancedWindows(_ leftover: String) throws {
        let model = RecordingModel()
        let latent = LatentValue(samples: Self.ramp([1, 4, 8, 8]))
        let out = try H.run(KSamplerAdvanced.self, Self.advanced(model: model, latent: latent, [
            "add_noise": .constant("disable"), "steps": .constant(10), "start_at_step": .constant(3), "end_at_step": .constant(6), "return_with_leftover_noise": .constant(.string(leftover)),
        ]))
        let full = try ksamplerSigmas(model.modelSampling, sampler: .euler, scheduler: .normal, steps: 10)
        var window = Array(full[3...6])
        if leftover == "disable" { window[3] = 0 }
        #expect(model.calls.map { $0.timesteps[0] } == window.dropLast().map { model.modelSampling.timestep($0) })
        #expect(closeness(out.samples, latent.samples * Self.eulerGain(window), relative: 1e-5, absolute: 1e-7) == nil)

        let untouched = RecordingModel()
        let passed = try H.run(KSamplerAdvanced.self, Self.advanced(model: untouched, latent: latent, ["start_at_step": .constant(10)]))
        #expect(passed.samples.scalars == latent.samples.scalars && untouched.calls.isEmpty)
    }

    /// A NaN from the model stops the run naming the step (never a silent black image).
    @Test func nanFromTheModelIsAnErrorNamingTheStep() throws {
        let model = RecordingModel(nanFromCall: 1)
        let error = try #require(throws: SamplingError.self) {
            try H.run(KSampler.self, H.ksampler(model: model, positive: pos, negative: neg, latent: empty))
        }
        guard case .nonFinite(step: 1, _) = error else { Issue.record("got \(error)"); return }
        #expect("\(error)".hasPrefix("the model produced NaN or infinite values at step 2 (sigma "))
    }

    /// fix_empty_latent_channels widens an all-zero latent; a non-empty one of another channel
    /// count is a clear error (ComfyUI fails inside the first convolution).
    @Test func latentChannelsMustMatchTheModelUnlessEmpty() throws {
        let widened = try H.run(KSampler.self, H.ksampler(model: RecordingModel(), positive: pos, negative: neg,
                                                          latent: LatentValue(samples: Tensor.zeros([1, 16, 8, 8]))))
        #expect(widened.samples.shape == [1, 4, 8, 8])
        let wrong = LatentValue(samples: Self.ramp([1, 16, 8, 8]))
        #expect(throws: KSamplerError.latentChannels(shape: [1, 16, 8, 8], modelChannels: 4)) {
            try H.run(KSampler.self, H.ksampler(model: RecordingModel(), positive: pos, negative: neg, latent: wrong))
        }
        #expect("\(KSamplerError.latentChannels(shape: [1, 16, 8, 8], modelChannels: 4))"
            == "input 'latent_image': a latent of shape [1, 16, 8, 8] has 16 channels, but the model expects 4 "
            + "(is the latent from another model family's VAE?)")
    }

    // MARK: helpers

    static func advanced(model: any DiffusionModel, latent: LatentValue,
                         _ overrides: [String: InputArgument]) -> [String: InputArgument] {
        var v: [String: InputArgument] = [
            "model": .linked(ModelValue(model: model)), "add_noise": .constant("enable"), "noise_seed": .constant(1234),
            "steps": .constant(3), "cfg": .constant(1.0), "sampler_name": .constant("euler"), "scheduler": .constant("normal"),
            "positive": .linked(H.conditioning(1)), "negative": .linked(H.conditioning(-1)),
            "latent_image": .linked(latent), "start_at_step": .constant(0), "end_at_step": .constant(10000),
            "return_with_leftover_noise": .constant("disable"),
        ]
        v.merge(overrides) { $1 }
        return v
    }

    /// Π (1 + (σ_{i+1} - σ_i) / sqrt(σ_i² + 1)): Euler on eps = x_in, computed in Double.
    static func eulerGain(_ sigmas: [Float]) -> Float {
        var g = 1.0
        for i in 0..<(sigmas.count - 1) {
            let s = Double(sigmas[i])
            g *= 1 + (Double(sigmas[i + 1]) - s) / (s * s + 1).squareRoot()
        }
        return Float(g)
    }
}

struct ProgressEvent: Equatable { let value: Int, max: Int }

/// Collects the progress events of a node run.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ProgressEvent] = []
    var progress: [ProgressEvent] { lock.lock(); defer { lock.unlock() }; return events }
    var observe: ExecutionObserver {
        { [self] event in
            if case let .progress(_, value, max, _) = event { lock.lock(); events.append(ProgressEvent(value: value, max: max)); lock.unlock() }
        }
    }
}
