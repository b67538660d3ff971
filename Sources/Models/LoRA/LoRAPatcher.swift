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
    /// holds it: float32 (ComfyUI's UNet and VAE on the CPU), or fp16 (its text encoder).
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
            out[key] = StoredTensor(w, as: precision == .float16 ? .f16 : .f32)
        }
        return out
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
