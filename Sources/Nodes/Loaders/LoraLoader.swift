import Execution

/// ComfyUI 0.8.0 nodes.py `LoraLoader`: patches MODEL and CLIP with a LoRA file.
public enum LoraLoader: NodeDefinition {
    public static let model = Input<ModelValue>("model")
    public static let clip = Input<CLIPValue>("clip")
    public static let loraName = Input<ModelFile>("lora_name", folder: "loras")
    public static let strengthModel = Input<Double>("strength_model", default: 1, min: -100, max: 100, step: 0.01)
    public static let strengthClip = Input<Double>("strength_clip", default: 1, min: -100, max: 100, step: 0.01)

    public static let declaration = NodeDeclaration(
        "LoraLoader", displayName: "Load LoRA", category: "loaders",
        inputs: [model, clip, loraName, strengthModel, strengthClip], outputs: [.model, .clip])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("LoraLoader")
    }
}
