// Matches ComfyUI 0.8.0 comfy/weight_adapter/{lora,loha,lokr}.py load(): the tensor names each adapter reads.

/// What one tensor of a LoRA file holds, once the module name in front of it is cut off.
/// Each format's key table (`KohyaLoRAKeys`, `PEFTLoRAKeys`) spells these differently.
public enum LoRATensorRole: String, Sendable, CaseIterable {
    case up, down, mid                      // low-rank: W += up @ down (mid: LoCon Tucker core)
    case alpha, doraScale                   // scale = alpha / rank; DoRA magnitude per output channel
    case hadaW1A, hadaW1B, hadaW2A, hadaW2B, hadaT1, hadaT2         // LoHa
    case lokrW1, lokrW1A, lokrW1B, lokrW2, lokrW2A, lokrW2B, lokrT2 // LoKr
    case diff                               // a full difference tensor
}

/// Suffixes shared by every format (a PEFT file may carry kohya's `alpha` too).
enum SharedLoRASuffixes {
    static let table: [(suffix: String, role: LoRATensorRole)] = [
        (".alpha", .alpha), (".dora_scale", .doraScale), (".diff", .diff),
    ]
}
