// Matches ComfyUI 0.8.0 comfy/model_patcher.py patch_weight_to_device / unpatch_model: patch the weights
// a LoRA touches in float32, keep a backup of exactly those, and restore before patching anew.
import Logging
import TensorCore

private let log = Logger(label: "swiftcomfy.lora")

/// A loaded model's weights as the patcher sees them. The model loaders conform (or hand over a
/// `WeightDictionary`); the patcher reads a weight, replaces it, and never copies the rest.
public protocol PatchableWeights: AnyObject {
    /// Canonical key -> shape of every weight the model holds.
    var weightShapes: [String: [Int]] { get }
    /// The weight as currently held.
    func weight(_ key: String) -> Tensor?
    /// Replaces a weight (same shape).
    func setWeight(_ key: String, to value: Tensor)
    /// True when the model holds these weights in fp16 (ComfyUI's text encoder): patched values
    /// are computed in float32 from the fp16 values, then rounded to fp16.
    var holdsHalfPrecision: Bool { get }
}

/// A plain dictionary of weights that conforms to `PatchableWeights`.
public final class WeightDictionary: PatchableWeights {
    public private(set) var weights: [String: Tensor]
    public let holdsHalfPrecision: Bool

    public init(_ weights: [String: Tensor], holdsHalfPrecision: Bool = false) {
        self.weights = weights
        self.holdsHalfPrecision = holdsHalfPrecision
    }

    public var weightShapes: [String: [Int]] { weights.mapValues(\.shape) }
    public func weight(_ key: String) -> Tensor? { weights[key] }
    public func setWeight(_ key: String, to value: Tensor) { weights[key] = value }
}

/// Applies LoRAs to one model's weights in place, keeping the originals of exactly the patched
/// weights: every `apply` starts from those originals, so strengths never compound, and a weight no
/// LoRA touches is never copied.
public final class LoRAPatcher {
    public let model: PatchableWeights
    public let target: LoRATarget
    private var originals: [String: Tensor] = [:]

    public init(model: PatchableWeights, target: LoRATarget? = nil) {
        self.model = model
        self.target = target ?? LoRATarget(shapes: model.weightShapes)
    }

    /// What the weights hold now, when they were last set from a stack (nil after other calls).
    private var appliedStack: [LoRAStack.Signature]? = []

    /// Puts the model in the state of `stack`; nothing to do when it already is (a re-run with the
    /// same LoRAs and strengths, like ComfyUI's unchanged patches).
    public func apply(_ stack: LoRAStack) throws {
        guard stack.signature != appliedStack else { return }
        try apply(stack.patchList)
        appliedStack = stack.signature
    }

    /// Puts the model in the state "original weights + these deltas at these strengths, in order",
    /// whatever was applied before. Strength 0 entries are skipped (they change nothing).
    public func apply(_ patches: [(patches: LoRAPatches, strength: Double)]) throws {
        appliedStack = nil
        let active = patches.filter { $0.strength != 0 }
        var keys = Set<String>()
        for p in active { keys.formUnion(p.patches.keys) }
        for (key, original) in originals where !keys.contains(key) {
            model.setWeight(key, to: original)
            originals[key] = nil
        }
        // One key at a time, so at most one extra weight is alive beyond the patched set.
        for key in keys.sorted() {
            guard let base = originals[key] ?? model.weight(key) else { continue }
            let w = try Self.patched(key, base, active, roundsToHalf: model.holdsHalfPrecision)
            originals[key] = base
            model.setWeight(key, to: w)
        }
    }

    /// The patched value of every weight the deltas touch (and only those), each computed from
    /// `original(key)`. For loaders that rebuild a model with overrides instead of patching in place.
    public static func patchedWeights(_ patches: [(patches: LoRAPatches, strength: Double)], roundsToHalf: Bool,
                                      original: (String) throws -> Tensor?) throws -> [String: Tensor] {
        let active = patches.filter { $0.strength != 0 }
        var keys = Set<String>()
        for p in active { keys.formUnion(p.patches.keys) }
        var out: [String: Tensor] = [:]
        for key in keys.sorted() {
            guard let base = try original(key) else { continue }
            out[key] = try patched(key, base, active, roundsToHalf: roundsToHalf)
        }
        return out
    }

    /// One weight after the deltas in order (ComfyUI calculate_weight over the patch list), in
    /// float32, then rounded to fp16 when the model holds fp16 (patch_weight_to_device).
    static func patched(_ key: String, _ base: Tensor, _ patches: [(patches: LoRAPatches, strength: Double)],
                        roundsToHalf: Bool) throws -> Tensor {
        var w = base
        for p in patches where p.strength != 0 {
            guard let delta = p.patches[key] else { continue }
            // ComfyUI logs "ERROR lora <key> ..." and leaves the weight as it was; so do we.
            do { w = try delta.apply(to: w, strength: p.strength) } catch {
                log.error("LoRA delta for '\(key)' \(base.shape) not applied: \(error)")
            }
        }
        return roundsToHalf ? roundedToFloat16(w) : w
    }

    /// Resolves each LoRA against this model and applies it: the single-model convenience.
    @discardableResult
    public func apply(_ loras: [(lora: LoRAFile, strength: Double)]) throws -> [LoRAMatch] {
        let matches = loras.map { $0.lora.resolve(against: [target]) }
        try apply(zip(matches, loras).map { ($0.patches[0], $1.strength) })
        return matches
    }

    /// Puts every patched weight back.
    public func restore() { try? apply([(patches: LoRAPatches, strength: Double)]()) }

    /// Keys currently patched.
    public var patchedKeys: Set<String> { Set(originals.keys) }

    /// Bytes of float32 data the patcher holds as backups (one original per patched weight).
    public var backupBytes: Int { originals.values.reduce(0) { $0 + $1.count * MemoryLayout<Float>.size } }

    /// torch's `.to(torch.float16)`: round to nearest even; the values stay Float32.
    static func roundedToFloat16(_ t: Tensor) -> Tensor {
        var out = t
        out.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = Float(Float16(p[i])) } }
        return out
    }
}
