import Execution

/// ComfyUI 0.8.0 nodes.py `LatentUpscaleBy`: new size `round(dim * scale_by)`.
public enum LatentUpscaleBy: NodeDefinition {
    public static let samples = Input<LatentValue>("samples")
    public static let upscaleMethod = Input<LatentUpscaleMethod>("upscale_method")
    public static let scaleBy = Input<Double>("scale_by", default: 1.5, min: 0.01, max: 8, step: 0.01)

    public static let declaration = NodeDeclaration(
        "LatentUpscaleBy", displayName: "Upscale Latent By", category: "latent",
        inputs: [samples, upscaleMethod, scaleBy], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("LatentUpscaleBy")
    }
}
