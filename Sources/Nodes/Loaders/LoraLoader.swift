// Matches ComfyUI 0.8.0 nodes.py LoraLoader.load_lora with comfy/sd.py load_lora_for_models.
import Execution
import Models

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

    /// Both strengths 0: the inputs, file not opened. Otherwise clones that carry the base model
    /// plus the extended LoRA stack; the weights are patched when the model first runs.
    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let (modelIn, clipIn) = (try a[model], try a[clip])
        let (sm, sc) = (try a[strengthModel], try a[strengthClip])
        guard sm != 0 || sc != 0 else { return NodeOutput(modelIn, clipIn) }
        guard let m = modelIn.model as? any LoRAPatchableModel else {
            throw LoRAUnsupportedModel(input: "model", kind: "\(type(of: modelIn.model))")
        }
        guard let c = clipIn.clip as? any LoRAPatchableTextEncoder else {
            throw LoRAUnsupportedModel(input: "clip", kind: "\(type(of: clipIn.clip))")
        }
        let out = try LoRALoading.apply(try LoRAFileCache.file(a[loraName], ctx),
                                        model: (try m.loraTarget(), m.loras), strengthModel: sm,
                                        clip: (try c.loraTarget(), c.loras), strengthClip: sc)
        out.match?.log(to: LoRAFileCache.log)
        let newClip = out.clip ?? c.loras
        return NodeOutput(out.model.signature == m.loras.signature ? modelIn : ModelValue(model: m.withLoRAs(out.model)),
                          newClip.signature == c.loras.signature ? clipIn : CLIPValue(clip: c.withLoRAs(newClip)))
    }
}
