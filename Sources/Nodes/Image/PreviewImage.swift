import Execution
import Workflow

/// ComfyUI 0.8.0 nodes.py `PreviewImage`: SaveImage into the temp folder, prefix
/// `ComfyUI_temp_<5 letters>` drawn once per node instance, compression level 1, type "temp".
public enum PreviewImage: NodeDefinition {
    public static let images = Input<ImageValue>("images")
    public static let prompt = Input<JSONValue>(hidden: "prompt", type: "PROMPT")
    public static let extraPNGInfo = Input<JSONValue>(hidden: "extra_pnginfo", type: "EXTRA_PNGINFO")

    public static let declaration = NodeDeclaration(
        "PreviewImage", displayName: "Preview Image", category: "image",
        inputs: [images, prompt, extraPNGInfo], outputs: [], isOutputNode: true)

    /// ComfyUI's alphabet for the suffix, typo included ("stupvxyz": two p, no w).
    static let letters = Array("abcdefghijklmnopqrstupvxyz")

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let suffix: String
        if let kept = ctx.state["prefix_append"] as? String {
            suffix = kept
        } else {
            suffix = "_temp_" + String((0..<5).map { _ in letters.randomElement() ?? "a" })
            ctx.state["prefix_append"] = suffix
        }
        let saving = ImageSaving(folder: ctx.environment.tempDirectory, type: "temp", compressionLevel: 1)
        return try saving.save(try a[images], prefix: "ComfyUI" + suffix, prompt: try a.optional(prompt),
                               extraPNGInfo: try a.optional(extraPNGInfo))
    }
}
