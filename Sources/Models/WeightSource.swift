// Where a WeightScope reads its tensors: a checkpoint file (TensorIndex, converted on read) or the
// Float32 weights a loaded model holds in memory (HeldWeights), which a LoRA overlays.
import Checkpoint
import Foundation
import TensorCore

/// Key -> Float32 tensor, with shapes readable without data. A model is built from a source.
public protocol WeightSource: AnyObject, Sendable {
    /// The file name(s), for error messages.
    var file: String { get }
    func contains(_ key: String) -> Bool
    /// The shape of `key`; throws naming key and file when it is missing.
    func shape(of key: String) throws -> [Int]
    /// `key` as Float32 after checking its shape (an error names key, file and both shapes).
    func tensor(_ key: String, shape: [Int]) throws -> Tensor
    /// True when the values of `key` are already float16 values (nothing to round).
    func holdsHalfValues(_ key: String) -> Bool
}

extension TensorIndex: WeightSource {
    public func holdsHalfValues(_ key: String) -> Bool { dtype(of: key) == .f16 }
}

/// The Float32 weights of a loaded model, held once in memory. Tensors are shared copy-on-write,
/// so every model built from these weights (and every overlay of them) uses the same storage for
/// the tensors it does not replace: a LoRA-patched model owns only its patched tensors.
public final class HeldWeights: WeightSource, @unchecked Sendable {
    public let file: String
    /// Canonical key -> tensor (text-encoder values already rounded to fp16 where held so).
    public let tensors: [String: Tensor]
    /// Key prefixes whose values are fp16 values (the text encoder).
    let halfPrefixes: [String]
    private var read = Set<String>()
    private let lock = NSLock()

    public init(file: String, tensors: [String: Tensor], halfPrefixes: [String] = []) {
        self.file = file
        self.tensors = tensors
        self.halfPrefixes = halfPrefixes
    }

    /// Reads every tensor under each prefix of `parts` from `index` (one Float32 copy), rounding
    /// the values of `.float16` parts to fp16 once. `skip` keys are marked used and not read.
    public convenience init(_ index: TensorIndex, parts: [(prefix: String, precision: WeightPrecision)],
                            skip: Set<String> = []) throws {
        var tensors: [String: Tensor] = [:]
        for key in index.keys where !skip.contains(key) {
            guard let part = parts.first(where: { key.hasPrefix($0.prefix + ".") }) else { continue }
            var t = try index.tensor(key)
            if part.precision == .float16 && index.dtype(of: key) != .f16 { t = t.roundedToHalf() }
            tensors[key] = t
        }
        for key in skip { index.markUsed(key) }
        self.init(file: index.file, tensors: tensors,
                  halfPrefixes: parts.filter { $0.precision == .float16 }.map { $0.prefix + "." })
    }

    /// These weights with `replacements` in place of some tensors (same shapes); every other
    /// tensor is shared with this object.
    public func overlaid(with replacements: [String: Tensor]) -> HeldWeights {
        var merged = tensors
        for (k, v) in replacements { merged[k] = v }
        return HeldWeights(file: file, tensors: merged, halfPrefixes: halfPrefixes)
    }

    public func contains(_ key: String) -> Bool { tensors[key] != nil }

    public func shape(of key: String) throws -> [Int] {
        guard let t = tensors[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        return t.shape
    }

    public func tensor(_ key: String, shape expected: [Int]) throws -> Tensor {
        guard let t = tensors[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        guard t.shape == expected else {
            throw CheckpointError.shapeMismatch(key: key, file: file, expected: expected, actual: t.shape)
        }
        lock.lock(); read.insert(key); lock.unlock()
        return t
    }

    public func holdsHalfValues(_ key: String) -> Bool { halfPrefixes.contains { key.hasPrefix($0) } }

    /// The shapes of the tensors under `prefix` (what a LoRA can land on).
    public func shapes(under prefix: String) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (k, t) in tensors where k.hasPrefix(prefix) { out[k] = t.shape }
        return out
    }

    /// Keys no model has read, sorted.
    public var unreadKeys: [String] {
        lock.lock(); defer { lock.unlock() }
        return tensors.keys.filter { !read.contains($0) }.sorted()
    }
}
