// Matches ComfyUI 0.8.0 comfy/lora.py model_lora_keys_unet/_clip (the lora_unet_/lora_te_ names) and
// the kohya/LyCORIS tensor names of comfy/weight_adapter/{lora,loha,lokr}.py.
import Foundation

/// kohya-ss and LyCORIS files: module names are model paths with `.` replaced by `_`
/// (`lora_unet_down_blocks_0_attentions_0_proj_in`, `lora_te_text_model_encoder_layers_0_mlp_fc1`).
public enum KohyaLoRAKeys {
    public static let suffixes: [(suffix: String, role: LoRATensorRole)] = [
        (".lora_up.weight", .up), (".lora_down.weight", .down), (".lora_mid.weight", .mid),
        (".hada_w1_a", .hadaW1A), (".hada_w1_b", .hadaW1B), (".hada_w2_a", .hadaW2A), (".hada_w2_b", .hadaW2B),
        (".hada_t1", .hadaT1), (".hada_t2", .hadaT2),
        (".lokr_w1", .lokrW1), (".lokr_w1_a", .lokrW1A), (".lokr_w1_b", .lokrW1B),
        (".lokr_w2", .lokrW2), (".lokr_w2_a", .lokrW2A), (".lokr_w2_b", .lokrW2B), (".lokr_t2", .lokrT2),
    ]

    /// (LoRA module name, model key) pairs.
    /// - unet: LDM paths (`lora_unet_input_blocks_1_1_proj_in`) and diffusers paths, the latter
    ///   also as SimpleTuner's `lycoris_` names.
    /// - text encoder: `lora_te_` and SDXL-style `lora_te1_` for CLIP-L.
    static func aliases(modelKeys: Set<String>, diffusers: [String: String], unetPrefix: String)
        -> [(String, String)] {
        var out: [(String, String)] = []
        for key in modelKeys where key.hasPrefix(unetPrefix) && key.hasSuffix(".weight") {
            out.append(("lora_unet_" + underscored(key.dropFirst(unetPrefix.count).dropLast(7)), key))
        }
        for (d, l) in diffusers where d.hasSuffix(".weight") {
            let key = unetPrefix + l
            guard modelKeys.contains(key) else { continue }
            let name = underscored(d.dropLast(7))
            out.append(("lora_unet_" + name, key))
            out.append(("lycoris_" + name, key))
        }
        for (path, key) in TextEncoderLoRAKeys.paths(in: modelKeys) {
            out.append(("lora_te_" + underscored(path[...]), key))
            out.append(("lora_te1_" + underscored(path[...]), key))
        }
        return out
    }

    static func underscored(_ s: Substring) -> String { s.replacingOccurrences(of: ".", with: "_") }
}
