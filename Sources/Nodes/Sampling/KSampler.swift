import Execution
import Sampling

/// ComfyUI 0.8.0 nodes.py `KSampler` (`common_ksampler`, see `KSamplerRequest`).
public enum KSampler: NodeDefinition {
    public static let model = Input<ModelValue>("model")
    public static let seed = Input<UInt64>("seed", default: 0, min: 0, max: .max, options: ["control_after_generate": true])
    public static let steps = Input<Int>("steps", default: 20, min: 1, max: 10000)
    public static let cfg = Input<Double>("cfg", default: 8, min: 0, max: 100, step: 0.1, round: 0.01)
    public static let samplerName = Input<SamplerName>("sampler_name")
    public static let scheduler = Input<Scheduler>("scheduler")
    public static let positive = Input<ConditioningValue>("positive")
    public static let negative = Input<ConditioningValue>("negative")
    public static let latentImage = Input<LatentValue>("latent_image")
    public static let denoise = Input<Double>("denoise", default: 1, min: 0, max: 1, step: 0.01)

    public static let declaration = NodeDeclaration(
        "KSampler", category: "sampling",
        description: "Uses the provided model, positive and negative conditioning to denoise the latent image.",
        inputs: [model, seed, steps, cfg, samplerName, scheduler, positive, negative, latentImage, denoise],
        outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let request = KSamplerRequest(
            model: try a[model].model, seed: try a[seed], steps: try a[steps], cfg: try a[cfg],
            sampler: try a[samplerName], scheduler: try a[scheduler], positive: try a[positive],
            negative: try a[negative], latent: try a[latentImage], denoise: try a[denoise])
        return NodeOutput(try request.run(progress: SamplingProgress(context: ctx)))
    }
}
