import Execution

/// ComfyUI 0.8.0 nodes.py `ImageScale` ("Upscale Image"): 0 on one side keeps the aspect.
public enum ImageScale: NodeDefinition {
    public static let image = Input<ImageValue>("image")
    public static let upscaleMethod = Input<ImageUpscaleMethod>("upscale_method")
    public static let width = Input<Int>("width", default: 512, min: 0, max: 16384, step: 1)
    public static let height = Input<Int>("height", default: 512, min: 0, max: 16384, step: 1)
    public static let crop = Input<CropMode>("crop")

    public static let declaration = NodeDeclaration(
        "ImageScale", displayName: "Upscale Image", category: "image/upscaling",
        inputs: [image, upscaleMethod, width, height, crop], outputs: [.image])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("ImageScale")
    }
}
