import Execution

/// ComfyUI 0.8.0 nodes.py `LatentUpscale`: resize to `width/8 x height/8` (0 keeps the aspect).
public enum LatentUpscale: NodeDefinition {
    public static let samples = Input<LatentValue>("samples")
    public static let upscaleMethod = Input<LatentUpscaleMethod>("upscale_method")
    public static let width = Input<Int>("width", default: 512, min: 0, max: 16384, step: 8)
    public static let height = Input<Int>("height", default: 512, min: 0, max: 16384, step: 8)
    public static let crop = Input<CropMode>("crop")

    public static let declaration = NodeDeclaration(
        "LatentUpscale", displayName: "Upscale Latent", category: "latent",
        inputs: [samples, upscaleMethod, width, height, crop], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("LatentUpscale")
    }
}
