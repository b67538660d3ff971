// Matches ComfyUI 0.8.0 nodes.py CLIPLoader (comfy/sd.py load_clip: the encoder detected from the
// file, detect_te_model, with the CLIPType of `type`).
import Execution

/// ComfyUI 0.8.0 nodes.py `CLIPLoader` ("Load CLIP"): one text-encoder file as a CLIP, of the family
/// whose text-encoder set is this `type` with this file's encoder.
public enum CLIPLoader: NodeDefinition {
    public static let clipName = Input<ModelFile>("clip_name", folder: "text_encoders")
    public static let type = Input<String>("type", choices: [
        "stable_diffusion", "stable_cascade", "sd3", "stable_audio", "mochi", "ltxv", "pixart", "cosmos", "lumina2",
        "wan", "hidream", "chroma", "ace", "omnigen2", "qwen_image", "hunyuan_image", "flux2", "ovis"])
    public static let device = Input<String>("device", choices: ["default", "cpu"], .optional, options: ["advanced": true])

    public static let declaration = NodeDeclaration(
        "CLIPLoader", displayName: "Load CLIP", category: "advanced/loaders", inputs: [clipName, type, device],
        outputs: [.clip])

    /// `device` only chooses where ComfyUI puts the model; SwiftComfy runs on the CPU either way.
    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let url = try ctx.modelPath(try a[clipName])
        return NodeOutput(try Families.loadTextEncoders(node: "CLIPLoader", type: try a[type], [url], ctx))
    }
}
