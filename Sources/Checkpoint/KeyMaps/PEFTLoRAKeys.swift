// Matches ComfyUI 0.8.0 comfy/lora.py model_lora_keys_unet/_clip (the diffusers names) and the
// diffusers/PEFT tensor names of comfy/weight_adapter/lora.py, plus the plain attention spelling.
import Foundation

/// diffusers and PEFT files: module names are diffusers paths with a `unet.` / `text_encoder.`
/// prefix (`unet.down_blocks.0.attentions.0.proj_in`), tensors `lora_A`/`lora_B` or `lora.down`/`lora.up`.
public enum PEFTLoRAKeys {
    public static let suffixes: [(suffix: String, role: LoRATensorRole)] = [
        (".lora_B.weight", .up), (".lora_A.weight", .down),
        ("_lora.up.weight", .up), ("_lora.down.weight", .down),
        (".lora.up.weight", .up), (".lora.down.weight", .down),
        (".lora_linear_layer.up.weight", .up), (".lora_linear_layer.down.weight", .down),
        (".lora_B.default.weight", .up), (".lora_A.default.weight", .down),
        (".lora_B", .up), (".lora_A", .down),
    ]

    /// (LoRA module name, model key) pairs.
    /// - unet: `diffusion_model.<LDM path>`; `[unet.]<diffusers path>`; and the attention-processor
    ///   spelling `[unet.]<block>.attn1.processor.to_q` / `.processor.to_out`.
    ///   ComfyUI 0.8.0 maps only the processor spelling for attention layers, so it skips
    ///   `unet.<block>.attn1.to_q.lora_A.weight`; SwiftComfy maps both (`LoRAKeyMap.comfyUISkips`).
    /// - text encoder: `text_encoder.text_model.encoder.layers.N.<module>`.
    static func aliases(modelKeys: Set<String>, diffusers: [String: String], unetPrefix: String)
        -> [(String, String)] {
        var out: [(String, String)] = []
        let generic = String(unetPrefix.drop { $0 != "." }.dropFirst())   // "diffusion_model."
        for key in modelKeys where key.hasPrefix(unetPrefix) && key.hasSuffix(".weight") {
            out.append((generic + key.dropFirst(unetPrefix.count).dropLast(7), key))
        }
        for (d, l) in diffusers where d.hasSuffix(".weight") {
            let key = unetPrefix + l
            guard modelKeys.contains(key) else { continue }
            let name = String(d.dropLast(7))
            for prefix in ["", "unet."] {
                out.append((prefix + name, key))
                if let processor = processorSpelling(name) { out.append((prefix + processor, key)) }
            }
        }
        for (path, key) in TextEncoderLoRAKeys.paths(in: modelKeys) {
            out.append(("text_encoder." + path, key))
        }
        return out
    }

    /// `...attn1.to_q` -> `...attn1.processor.to_q`, `...to_out.0` -> `...processor.to_out`.
    static func processorSpelling(_ name: String) -> String? {
        guard name.contains(".to_") else { return nil }
        var p = name.replacingOccurrences(of: ".to_", with: ".processor.to_")
        if p.hasSuffix(".to_out.0") { p.removeLast(2) }
        return p
    }

    /// True for a diffusers attention name that ComfyUI 0.8.0 leaves unmapped (it only knows the
    /// processor spelling): `unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q`.
    static func isPlainAttentionName(_ name: String) -> Bool {
        processorSpelling(name) != nil && !name.contains(".processor.")
    }
}
