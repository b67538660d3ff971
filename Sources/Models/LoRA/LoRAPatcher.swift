// Matches ComfyUI 0.8.0 comfy/model_patcher.py patch_weight_to_device with comfy/float.py
// stochastic_rounding: a patched weight is computed in float32 from the model's weight and stored
// back in the dtype the model holds it in. Un-patching drops the patched tensors (the model goes
// back to the stored ones), never subtracts.
import Checkpoint
import Logging
import TensorCore

private let log = Logger(label: "swiftcomfy.lora")

public enum LoRAPatcher {
    /// The patched value of every weight the deltas touch (and only those), each computed from
    /// `original(key)` (the stored weight, never an earlier patch) and stored as `precision`
    /// holds it: float32 (ComfyUI's UNet and VAE on the CPU), fp16 (its text encoder), or the
    /// weight's own dtype (`.stored`: fp8 by stochastic rounding seeded with `seed(forKey:)`).
    /// A model rebuilt from `weights.overlaid(with: result)` owns exactly these tensors.
    public static func patchedWeights(_ patches: [(patches: LoRAPatches, strength: Double)], precision: WeightPrecision,
                                      original: (String) throws -> StoredTensor?) throws -> [String: StoredTensor] {
        let active = patches.filter { $0.strength != 0 }
        var keys = Set<String>()
        for p in active { keys.formUnion(p.patches.keys) }
        var out: [String: StoredTensor] = [:]
        for key in keys.sorted() {
            guard let base = try original(key) else { continue }
            let w = patched(key, base.float32(), active)
            out[key] = try stored(w, like: base, precision: precision, key: key)
        }
        return out
    }

    /// A patched weight stored back (patch_weight_to_device: stochastic_rounding(w, weight.dtype,
    /// seed=string_to_seed(key)), where the weight's dtype is the model's).
    static func stored(_ w: Tensor, like base: StoredTensor, precision: WeightPrecision, key: String) throws -> StoredTensor {
        switch precision {
        case .float32: return StoredTensor(w, as: .f32)
        case .float16: return StoredTensor(w, as: .f16)
        case .stored:
            switch base.dtype {
            case .f8e4m3fn, .f8e5m2:
                // ComfyUI 0.8.0 re-quantizes scaled fp8 with a recalculated scale (quant_ops); not ported.
                guard base.scale == nil else { throw LoRAError.shapes("LoRA on the scaled-fp8 weight '\(key)' is not supported") }
                return StoredTensor(stochasticallyRounding: w, to: base.dtype, seed: seed(forKey: key))
            case .f16, .bf16: return StoredTensor(w, as: base.dtype)
            default: return StoredTensor(w, as: .f32)
            }
        }
    }

    /// comfy/model_patcher.py string_to_seed: CRC-32 (reflected, 0xEDB88320) over the key's
    /// characters, each XORed in whole (a character above 0xFF is not split into bytes).
    public static func seed(forKey key: String) -> UInt64 {
        var crc: UInt32 = 0xFFFF_FFFF
        for scalar in key.unicodeScalars {
            crc ^= scalar.value
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return UInt64(crc ^ 0xFFFF_FFFF)
    }

    /// One weight after the deltas in order (ComfyUI calculate_weight over the patch list), in
    /// float32. Strength 0 entries are skipped (they change nothing).
    public static func patched(_ key: String, _ base: Tensor, _ patches: [(patches: LoRAPatches, strength: Double)]) -> Tensor {
        var w = base
        for p in patches where p.strength != 0 {
            guard let delta = p.patches[key] else { continue }
            // ComfyUI logs "ERROR lora <key> ..." and leaves the weight as it was; so do we.
            do { w = try delta.apply(to: w, strength: p.strength) } catch {
                log.error("LoRA delta for '\(key)' \(base.shape) not applied: \(error)")
            }
        }
        return w
    }
}
