import Execution
import Workflow

/// ComfyUI 0.8.0 nodes.py `PreviewImage`: SaveImage into the temp folder.
public enum PreviewImage: NodeDefinition {
    public static let images = Input<ImageValue>("images")
    public static let prompt = Input<JSONValue>(hidden: "prompt", type: "PROMPT")
    public static let extraPNGInfo = Input<JSONValue>(hidden: "extra_pnginfo", type: "EXTRA_PNGINFO")

    public static let declaration = NodeDeclaration(
        "PreviewImage", displayName: "Preview Image", category: "image",
        inputs: [images, prompt, extraPNGInfo], outputs: [], isOutputNode: true)

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("PreviewImage")
    }
}
