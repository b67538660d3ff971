import Execution

/// ComfyUI 0.8.0 nodes.py `CLIPSetLastLayer`: -1 = last layer, -2 = penultimate ("clip skip 2").
public enum CLIPSetLastLayer: NodeDefinition {
    public static let clip = Input<CLIPValue>("clip")
    public static let stopAtClipLayer = Input<Int>("stop_at_clip_layer", default: -1, min: -24, max: -1, step: 1)

    public static let declaration = NodeDeclaration(
        "CLIPSetLastLayer", displayName: "CLIP Set Last Layer", category: "conditioning",
        inputs: [clip, stopAtClipLayer], outputs: [.clip])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        NodeOutput(CLIPValue(clip: try a[clip].clip.stoppingAtLayer(try a[stopAtClipLayer])))
    }
}
