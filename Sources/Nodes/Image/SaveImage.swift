import Execution
import Workflow

/// ComfyUI 0.8.0 nodes.py `SaveImage`: PNGs named `<prefix>_00001_.png` in the output folder, with
/// prompt/workflow chunks, compression level 4 (see `ImageSaving`, `SaveNaming`).
public enum SaveImage: NodeDefinition {
    public static let images = Input<ImageValue>("images")
    public static let filenamePrefix = Input<String>("filename_prefix", options: ["default": "ComfyUI"])
    public static let prompt = Input<JSONValue>(hidden: "prompt", type: "PROMPT")
    public static let extraPNGInfo = Input<JSONValue>(hidden: "extra_pnginfo", type: "EXTRA_PNGINFO")

    public static let declaration = NodeDeclaration(
        "SaveImage", displayName: "Save Image", category: "image",
        description: "Saves the input images to your ComfyUI output directory.",
        inputs: [images, filenamePrefix, prompt, extraPNGInfo], outputs: [], isOutputNode: true)

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let saving = ImageSaving(folder: ctx.environment.outputDirectory, type: "output", compressionLevel: 4)
        return try saving.save(try a[images], prefix: try a[filenamePrefix], prompt: try a.optional(prompt),
                               extraPNGInfo: try a.optional(extraPNGInfo))
    }
}
