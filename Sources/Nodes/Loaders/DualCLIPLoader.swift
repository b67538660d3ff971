// Matches ComfyUI 0.8.0 nodes.py DualCLIPLoader (comfy/sd.py load_clip with two files).
import Execution

/// ComfyUI 0.8.0 nodes.py `DualCLIPLoader`: two text encoders as one CLIP (`flux` = CLIP-L + T5-XXL),
/// of the family whose text-encoder set is this `type` with these files' encoders.
public enum DualCLIPLoader: NodeDefinition {
    public static let clipName1 = Input<ModelFile>("clip_name1", folder: "text_encoders")
    public static let clipName2 = Input<ModelFile>("clip_name2", folder: "text_encoders")
    public static let type = Input<String>("type", choices: [
        "sdxl", "sd3", "flux", "hunyuan_video", "hidream", "hunyuan_image", "hunyuan_video_15", "kandinsky5",
        "kandinsky5_image", "ltxv", "newbie"])
    public static let device = Input<String>("device", choices: ["default", "cpu"], .optional, options: ["advanced": true])

    public static let declaration = NodeDeclaration(
        "DualCLIPLoader", category: "advanced/loaders", inputs: [clipName1, clipName2, type, device], outputs: [.clip])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let urls = [try ctx.modelPath(try a[clipName1]), try ctx.modelPath(try a[clipName2])]
        return NodeOutput(try Families.loadTextEncoders(node: "DualCLIPLoader", type: try a[type], urls, ctx))
    }
}
