import Execution
import Sampling

/// ComfyUI 0.8.0 nodes.py `KSamplerAdvanced`: KSampler with noise switch and step window.
public enum KSamplerAdvanced: NodeDefinition {
    public static let model = Input<ModelValue>("model")
    public static let addNoise = Input<String>("add_noise", choices: ["enable", "disable"])
    public static let noiseSeed = Input<UInt64>("noise_seed", default: 0, min: 0, max: .max, options: ["control_after_generate": true])
    public static let steps = Input<Int>("steps", default: 20, min: 1, max: 10000)
    public static let cfg = Input<Double>("cfg", default: 8, min: 0, max: 100, step: 0.1, round: 0.01)
    public static let samplerName = Input<SamplerName>("sampler_name")
    public static let scheduler = Input<Scheduler>("scheduler")
    public static let positive = Input<ConditioningValue>("positive")
    public static let negative = Input<ConditioningValue>("negative")
    public static let latentImage = Input<LatentValue>("latent_image")
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
