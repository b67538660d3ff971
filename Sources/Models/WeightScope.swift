// Matches ComfyUI 0.8.0's state-dict loading (comfy/sd.py load_state_dict_guess_config): a layer
// reads its tensors by key under a prefix, and a wrong shape is an error naming the key and file.
import Checkpoint
import TensorCore

/// How a model holds its weights once loaded. ComfyUI keeps the UNet and the VAE in float32 but the
/// text encoder in float16 (its CPU default): the values are rounded to fp16 and widened to fp32
/// for compute. We store both as Float32 tensors; `.float16` rounds each value to the nearest fp16.
public enum WeightPrecision: Sendable, Equatable {
    case float32
    case float16
}

/// Changes a weight while a model is built (a LoRA): called with the full checkpoint key and the
/// weight as the model holds it (fp32, or fp16 values); returns the new weight, computed in fp32.
/// The result is rounded to the model's precision again, as ComfyUI stores a patched fp16 weight.
public typealias WeightPatch = (_ key: String, _ weight: Tensor) throws -> Tensor

/// A prefix-scoped view over a checkpoint's tensors (style.md §3). Building a layer is the key map:
/// `ResBlock(w["input_blocks.1.0"], ...)` reads `<prefix>.input_blocks.1.0.in_layers.0.weight` etc.
public struct WeightScope {
    /// Where the tensors come from: a checkpoint file or weights held in memory.
    public let index: any WeightSource
    public let prefix: String
    public let precision: WeightPrecision
    public let patch: WeightPatch?

    public init(_ index: any WeightSource, prefix: String = "", precision: WeightPrecision = .float32,
                patch: WeightPatch? = nil) {
        self.index = index
        self.prefix = prefix
        self.precision = precision
        self.patch = patch
    }

    /// The scope of a child module: `w["in_layers.0"]`.
    public subscript(_ child: String) -> WeightScope {
        WeightScope(index, prefix: key(child), precision: precision, patch: patch)
    }

    /// The scope of an indexed child module: `w["layers"][3]`.
    public subscript(_ child: Int) -> WeightScope { self[String(child)] }

    /// The full checkpoint key of `name` under this scope.
    public func key(_ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

    public func contains(_ name: String) -> Bool { index.contains(key(name)) }

    /// The stored shape of `name`; throws naming key and file when it is missing.
    public func shape(of name: String) throws -> [Int] { try index.shape(of: key(name)) }

    /// Reads `name` as Float32 after checking its shape (an error names key, file and both shapes);
    /// marks the key as used.
    public func tensor(_ name: String, shape expected: [Int]) throws -> Tensor {
        let k = key(name)
        var t = try index.tensor(k, shape: expected)
        // fp16 values need no rounding (and rounding a held tensor would copy it).
        if precision == .float16 && !index.holdsHalfValues(k) { t = t.roundedToHalf() }
        guard let patch else { return t }
        let patched = try patch(k, t)
        guard patched.shape == expected else {
            throw CheckpointError.shapeMismatch(key: k, file: "the patched weights", expected: expected, actual: patched.shape)
        }
        return precision == .float16 ? patched.roundedToHalf() : patched
    }
}

extension Tensor {
    /// Each value rounded to the nearest float16 (ties to even) and widened back, as torch's
    /// `.to(torch.float16)` does when ComfyUI casts the text encoder.
    func roundedToHalf() -> Tensor {
        var out = self
        out.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = Float(Float16(p[i])) }
        }
        return out
    }
}

/// How many consecutive numbered blocks `<prefix>0.`, `<prefix>1.`, ... exist (ComfyUI count_blocks).
func countBlocks(_ index: TensorIndex, prefix: String) -> Int {
    var present = Set<Int>()
    for key in index.keys where key.hasPrefix(prefix) {
        let rest = key.dropFirst(prefix.count)
        if let n = Int(rest.prefix { $0 != "." }) { present.insert(n) }
    }
    var count = 0
    while present.contains(count) { count += 1 }
    return count
}
