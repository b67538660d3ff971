// Matches ComfyUI 0.8.0 comfy/lora.py model_lora_keys_clip: which text-encoder weights LoRA names reach.

/// The CLIP-L text-encoder weights a LoRA can name, found among a model's canonical keys.
/// LoRA trainers name them by their transformers path (`text_model.encoder.layers.0.mlp.fc1`)
/// whatever the checkpoint spells; this yields that path for each model key.
enum TextEncoderLoRAKeys {
    /// Prefixes under which a model may hold the CLIP-L `text_model`: SwiftComfy's canonical
    /// spelling, the older single-file spelling without `text_model.`, and SDXL's first encoder.
    static let prefixes = [
        "cond_stage_model.transformer.text_model.",
        "cond_stage_model.transformer.",
        "conditioner.embedders.0.transformer.text_model.",
    ]

    /// (transformers path without `.weight`, model key) for every encoder-layer weight.
    static func paths(in modelKeys: Set<String>) -> [(path: String, modelKey: String)] {
        var out: [(String, String)] = []
        for key in modelKeys where key.hasSuffix(".weight") {
            for prefix in prefixes where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count).dropLast(".weight".count)
                guard rest.hasPrefix("encoder.layers.") else { continue }
                out.append(("text_model." + rest, key))
                break
            }
        }
        return out
    }
}
