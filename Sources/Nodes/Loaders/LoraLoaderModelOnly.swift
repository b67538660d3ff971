// Matches ComfyUI 0.8.0 nodes.py LoraLoaderModelOnly (load_lora_for_models with clip None).
import Execution
import Models

/// ComfyUI 0.8.0 nodes.py `LoraLoaderModelOnly`: LoraLoader without CLIP.
public enum LoraLoaderModelOnly: NodeDefinition {
    public static let model = Input<ModelValue>("model")
    public static let loraName = Input<ModelFile>("lora_name", folder: "loras")
    public static let strengthModel = Input<Double>("strength_model", default: 1, min: -100, max: 100, step: 0.01)

    public static let declaration = NodeDeclaration(
        "LoraLoaderModelOnly", category: "loaders", inputs: [model, loraName, strengthModel], outputs: [.model])

    /// Strength 0: the input. Text-encoder tensors have no target here and are reported as
    /// ComfyUI reports them ("lora key not loaded").
    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let modelIn = try a[model], strength = try a[strengthModel]
        guard strength != 0 else { return NodeOutput(modelIn) }
        guard let m = modelIn.model as? any LoRAPatchableModel else {
            throw LoRAUnsupportedModel(input: "model", kind: "\(type(of: modelIn.model))")
        }
        let out = try LoRALoading.apply(try LoRAFileCache.file(a[loraName], ctx), model: (try m.loraTarget(), m.loras),
                                        strengthModel: strength, clip: nil, strengthClip: 0)
        if let match = out.match {
            match.log(to: LoRAFileCache.log)
            for key in match.notLoaded { LoRAFileCache.log.warning("lora key not loaded: \(key)") }
        }
        return NodeOutput(out.model.signature == m.loras.signature ? modelIn : ModelValue(model: m.withLoRAs(out.model)))
    }
}
