// Matches ComfyUI 0.8.0 comfy/lora.py: the key map built from a model's own keys (model_lora_keys_unet,
// model_lora_keys_clip), which load_lora then looks LoRA module names up in.

/// LoRA module name -> canonical model weight key, for one model (or several models' keys at once).
///
/// Built from the keys the model actually holds, as ComfyUI builds its map from the state dict:
/// `LoRAKeyMap(modelKeys: unetKeys)` for a UNet under `model.diffusion_model.`, the text encoder
/// under `cond_stage_model.transformer.text_model.` (or the older spelling without `text_model.`).
/// The UNet's diffusers names come from `DiffusersUNetKeys`, with the block layout read from the
/// keys unless given.
public struct LoRAKeyMap: Sendable {
    /// Module name (a LoRA tensor key without its suffix) -> model key.
    public let targets: [String: String]
    /// Module names ComfyUI 0.8.0 would not map (PEFT attention layers not in the processor
    /// spelling); SwiftComfy applies them and logs the difference.
    public let comfyUISkips: Set<String>

    public static let unetPrefix = "model.diffusion_model."

    public init(modelKeys: Set<String>, unetLayout: UNetBlockLayout? = nil) {
        let layout = unetLayout ?? UNetBlockLayout(detectingFrom: modelKeys, prefix: Self.unetPrefix)
        let diffusers = layout.map(DiffusersUNetKeys.map) ?? [:]
        var targets: [String: String] = [:]
        for (name, key) in KohyaLoRAKeys.aliases(modelKeys: modelKeys, diffusers: diffusers, unetPrefix: Self.unetPrefix)
            + PEFTLoRAKeys.aliases(modelKeys: modelKeys, diffusers: diffusers, unetPrefix: Self.unetPrefix) {
            targets[name] = key
        }
        self.targets = targets
        comfyUISkips = Set(targets.keys.filter {
            PEFTLoRAKeys.isPlainAttentionName($0) && !$0.hasPrefix("diffusion_model.")
        })
    }

    public subscript(module: String) -> String? { targets[module] }

    /// Every tensor suffix of every format, longest first so `.lora_B.weight` wins over `.lora_B`.
    static let suffixes: [(suffix: String, role: LoRATensorRole)] =
        (KohyaLoRAKeys.suffixes + PEFTLoRAKeys.suffixes + SharedLoRASuffixes.table)
            .sorted { $0.suffix.count > $1.suffix.count }

    /// Splits a LoRA tensor key into its module name and role:
    /// `lora_unet_x.lora_up.weight` -> (`lora_unet_x`, .up). Nil for a name no format uses.
    public static func split(_ tensorKey: String) -> (module: String, role: LoRATensorRole)? {
        for (suffix, role) in suffixes where tensorKey.hasSuffix(suffix) && tensorKey.count > suffix.count {
            return (String(tensorKey.dropLast(suffix.count)), role)
        }
        return nil
    }
}
