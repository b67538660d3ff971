import Execution
import Workflow

/// ComfyUI 0.8.0 nodes.py `SaveImage`: PNGs named `<prefix>_00001_.png` with prompt/workflow chunks.
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
        throw NotImplementedYet("SaveImage")
    }
}
