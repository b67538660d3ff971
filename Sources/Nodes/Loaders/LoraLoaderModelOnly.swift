import Execution

/// ComfyUI 0.8.0 nodes.py `LoraLoaderModelOnly`: LoraLoader without CLIP.
public enum LoraLoaderModelOnly: NodeDefinition {
    public static let model = Input<ModelValue>("model")
    public static let loraName = Input<ModelFile>("lora_name", folder: "loras")
    public static let strengthModel = Input<Double>("strength_model", default: 1, min: -100, max: 100, step: 0.01)

    public static let declaration = NodeDeclaration(
        "LoraLoaderModelOnly", category: "loaders", inputs: [model, loraName, strengthModel], outputs: [.model])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("LoraLoaderModelOnly")
    }
}
