import Execution
import Sampling

/// ComfyUI 0.8.0 nodes.py `KSamplerAdvanced`: KSampler with noise switch and step window.
public enum KSamplerAdvanced: NodeDefinition {
    // The inputs it shares with KSampler are KSampler's (same names, types and ranges).
    public static let (model, steps, cfg) = (KSampler.model, KSampler.steps, KSampler.cfg)
    public static let (samplerName, scheduler) = (KSampler.samplerName, KSampler.scheduler)
    public static let (positive, negative, latentImage) = (KSampler.positive, KSampler.negative, KSampler.latentImage)
    public static let addNoise = Input<String>("add_noise", choices: ["enable", "disable"])
    public static let noiseSeed = Input<UInt64>("noise_seed", default: 0, min: 0, max: .max, options: ["control_after_generate": true])
    public static let startAtStep = Input<Int>("start_at_step", default: 0, min: 0, max: 10000)
    public static let endAtStep = Input<Int>("end_at_step", default: 10000, min: 0, max: 10000)
    public static let returnWithLeftoverNoise = Input<String>("return_with_leftover_noise", choices: ["disable", "enable"])

    public static let declaration = NodeDeclaration(
        "KSamplerAdvanced", displayName: "KSampler (Advanced)", category: "sampling",
        inputs: [model, addNoise, noiseSeed, steps, cfg, samplerName, scheduler, positive, negative, latentImage,
                 startAtStep, endAtStep, returnWithLeftoverNoise],
        outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        // Full denoise; the step window and the noise switch do the rest.
        let request = KSamplerRequest(
            model: try a[model].model, seed: try a[noiseSeed], steps: try a[steps], cfg: try a[cfg],
            sampler: try a[samplerName], scheduler: try a[scheduler], positive: try a[positive],
            negative: try a[negative], latent: try a[latentImage],
            addNoise: try a[addNoise] != "disable", startStep: try a[startAtStep], lastStep: try a[endAtStep],
            forceFullDenoise: try a[returnWithLeftoverNoise] != "enable")
        return NodeOutput(try request.run(progress: SamplingProgress(context: ctx)))
    }
}
