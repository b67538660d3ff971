import Execution

/// ComfyUI 0.8.0 nodes.py `CLIPTextEncode`: text -> CONDITIONING `[[cond, {"pooled_output"}]]`.
public enum CLIPTextEncode: NodeDefinition {
    public static let text = Input<String>("text", options: ["dynamicPrompts": true, "multiline": true])
    public static let clip = Input<CLIPValue>("clip")

    public static let declaration = NodeDeclaration(
        "CLIPTextEncode", displayName: "CLIP Text Encode (Prompt)", category: "conditioning",
        inputs: [text, clip], outputs: [.conditioning])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        NodeOutput(ConditioningValue([try a[clip].clip.encode(try a[text])]))
    }
}
