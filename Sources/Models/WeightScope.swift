// Matches ComfyUI 0.8.0's state-dict loading (comfy/sd.py load_state_dict_guess_config): a layer
// reads its tensors by key under a prefix, and a wrong shape is an error naming the key and file.
import Checkpoint
import TensorCore

/// How a model holds its weights once loaded. ComfyUI keeps the UNet and the VAE in float32 (on
/// the CPU; a F16 or BF16 file's values widen exactly, so the stored bytes serve as they are) but the
/// text encoder in float16: a F32 or BF16 file's text encoder is rounded to fp16 once. Compute is
/// Float32 either way. A LoRA-patched weight is stored back in this precision (`LoRAPatcher`).
public enum WeightPrecision: Sendable, Equatable {
    case float32
    case float16
    /// The file's dtype as it is (UNETLoader's `weight_dtype` fp8_e4m3fn: fp8 storage, fp32 compute);
    /// a patched fp8 weight is stochastically rounded back (comfy/float.py).
    case stored
}

/// A prefix-scoped view over a checkpoint's tensors (style.md §3). Building a layer is the key map:
/// `ResBlock(w["input_blocks.1.0"], ...)` reads `<prefix>.input_blocks.1.0.in_layers.0.weight` etc.
public struct WeightScope {
    /// Where the tensors come from: a checkpoint file or weights held in memory.
    public let index: any WeightSource
    public let prefix: String
    public let precision: WeightPrecision

    public init(_ index: any WeightSource, prefix: String = "", precision: WeightPrecision = .float32) {
        self.index = index
        self.prefix = prefix
        self.precision = precision
    }

    /// The scope of a child module: `w["in_layers.0"]`.
    public subscript(_ child: String) -> WeightScope {
        WeightScope(index, prefix: key(child), precision: precision)
    }

    /// The scope of an indexed child module: `w["layers"][3]`.
    public subscript(_ child: Int) -> WeightScope { self[String(child)] }

    /// The full checkpoint key of `name` under this scope.
    public func key(_ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

    public func contains(_ name: String) -> Bool { index.contains(key(name)) }

    /// The stored shape of `name`; throws naming key and file when it is missing.
    public func shape(of name: String) throws -> [Int] { try index.shape(of: key(name)) }

    /// `name` as stored, after checking its shape (an error names key, file and both shapes);
    /// rounded to fp16 when this scope holds fp16 and the source stores another dtype. Marks the
    /// key as used. For the large weights, which layers widen where they use them.
    public func stored(_ name: String, shape expected: [Int]) throws -> StoredTensor {
        let t = try index.stored(key(name), shape: expected)
        return precision == .float16 && t.dtype != .f16 ? t.rounded(to: .f16) : t
    }

    /// `name` widened to Float32, for the small parameters a layer keeps ready (biases, norms).
    public func tensor(_ name: String, shape expected: [Int]) throws -> Tensor {
        try stored(name, shape: expected).float32()
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
