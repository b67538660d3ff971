// Matches ComfyUI 0.8.0 nodes.py common_ksampler, comfy/sample.py prepare_noise /
// fix_empty_latent_channels / sample, comfy/samplers.py KSampler.sample and CFGGuider.sample /
// inner_sample (latent format in and out).
import Execution
import Sampling
import TensorCore

/// What KSampler and KSamplerAdvanced pass to `common_ksampler`.
struct KSamplerRequest {
    var model: any DiffusionModel
    var seed: UInt64
    var steps: Int
    var cfg: Double
    var sampler: SamplerName
    var scheduler: Scheduler
    var positive: ConditioningValue
    var negative: ConditioningValue
    var latent: LatentValue
    var denoise: Double = 1
    /// KSamplerAdvanced `add_noise`: "disable" samples from zero noise.
    var addNoise = true
    /// KSamplerAdvanced `start_at_step` / `end_at_step` / `return_with_leftover_noise` "disable".
    var startStep: Int?
    var lastStep: Int?
    var forceFullDenoise = false

    /// The output LATENT: the input's dict (noise mask, batch index) with `samples` replaced.
    func run(progress: SamplingProgress) throws -> LatentValue {
        guard latent.noiseMask == nil else { throw KSamplerError.noiseMaskUnsupported }
        let image = try fixEmptyLatentChannels(latent.samples)
        let noise = addNoise ? initialNoise(like: image) : Tensor(shape: image.shape, repeating: 0)
        let sigmas = try ksamplerSigmas(model.modelSampling, sampler: sampler, scheduler: scheduler,
                                        steps: steps, denoise: denoise)
        var out = latent
        switch ksamplerWindow(sigmas, startStep: startStep, lastStep: lastStep, forceFullDenoise: forceFullDenoise) {
        case .passThrough:
            out.samples = image
        case .sample(let window):
            let denoiser = try CFGDenoiser(model: model, positive: positive, negative: negative, cfg: cfg)
            let format = model.latentFormat
            // process_latent_in only for a latent that is not all zeros ("Don't shift the empty latent image").
            let latentIn = image.withUnsafeBufferPointer { $0.contains { $0 != 0 } } ? format.processIn(image) : image
            let options = progress.options(modelSampling: model.modelSampling)
            let samples = try progress.run {
                try runSampler(sampler, denoiser: denoiser, noise: noise, latentImage: latentIn, sigmas: window,
                               sigmaMax: model.modelSampling.sigmaMax, parametrization: model.parametrization,
                               seed: seed, options: options)
            }
            guard samples.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) else { throw KSamplerError.nonFiniteResult }
            out.samples = format.processOut(samples)
        }
        return out
    }

    /// `prepare_noise(latent, seed, batch_index)`: one CPU generator seeded with `seed`.
    private func initialNoise(like image: Tensor) -> Tensor {
        if let indices = latent.batchIndex { return prepareNoise(shape: image.shape, seed: seed, batchIndex: indices) }
        return prepareNoise(shape: image.shape, seed: seed)
    }

    /// `fix_empty_latent_channels`: an all-zero latent with another channel count is widened to
    /// the model's (EmptyLatentImage's 4 channels on a 16-channel model); a non-empty one must match.
    private func fixEmptyLatentChannels(_ samples: Tensor) throws -> Tensor {
        guard samples.rank == 4, samples.shape.allSatisfy({ $0 > 0 }) else { throw KSamplerError.latentShape(samples.shape) }
        let channels = model.latentChannels
        if samples.shape[1] == channels { return samples }
        guard samples.withUnsafeBufferPointer({ $0.allSatisfy { $0 == 0 } }) else {
            throw KSamplerError.latentChannels(shape: samples.shape, modelChannels: channels)
        }
        return Tensor(shape: [samples.shape[0], channels, samples.shape[2], samples.shape[3]], repeating: 0)
    }
}
