// Where a WeightScope reads its tensors: a checkpoint file (TensorIndex, mapped windows) or the
// stored weights a loaded model holds (HeldWeights), which a LoRA overlays.
import Checkpoint
import Foundation
import TensorCore

/// Key -> stored tensor, with shapes readable without data. A model is built from a source.
public protocol WeightSource: AnyObject, Sendable {
    /// The file name(s), for error messages.
    var file: String { get }
    func contains(_ key: String) -> Bool
    /// The shape of `key`; throws naming key and file when it is missing.
    func shape(of key: String) throws -> [Int]
    /// `key` as stored, after checking its shape (an error names key, file and both shapes).
    func stored(_ key: String, shape: [Int]) throws -> StoredTensor
}

extension TensorIndex: WeightSource {}

/// The weights of a loaded model, each in the dtype the model holds it in: mapped windows of the
/// file where that is the file's dtype (a F16 file's text encoder, every UNet and VAE weight),
/// owned buffers where ComfyUI casts (the text encoder of a F32 or BF16 file, rounded to fp16 once)
/// or a LoRA patched. Every model built from these weights (and every overlay of them) shares the
/// tensors it does not replace: a LoRA-patched model owns only its patched tensors.
public final class HeldWeights: WeightSource, @unchecked Sendable {
    public let file: String
    /// Canonical key -> stored tensor.
    public let tensors: [String: StoredTensor]
    private var read = Set<String>()
    private let lock = NSLock()   // guards `read`; everything else is immutable

    public init(file: String, tensors: [String: StoredTensor]) {
        self.file = file
        self.tensors = tensors
    }

    /// Every tensor under each prefix of `parts` from `index`, as stored, the `.float16` parts
    /// rounded to fp16 where the file stores another dtype. `skip` keys are marked used, not read.
    public convenience init(_ index: TensorIndex, parts: [(prefix: String, precision: WeightPrecision)],
                            skip: Set<String> = []) throws {
        var tensors: [String: StoredTensor] = [:]
        for key in index.keys where !skip.contains(key) {
            guard let part = parts.first(where: { key.hasPrefix($0.prefix + ".") }) else { continue }
            let t = try index.stored(key)
            tensors[key] = part.precision == .float16 && t.dtype.isFloatingPoint ? t.rounded(to: .f16) : t
        }
        for key in skip { index.markUsed(key) }
        self.init(file: index.file, tensors: tensors)
    }

    /// These weights with `replacements` in place of some tensors (same shapes); every other
    /// tensor is shared with this object.
    public func overlaid(with replacements: [String: StoredTensor]) -> HeldWeights {
        var merged = tensors
        for (k, v) in replacements { merged[k] = v }
        return HeldWeights(file: file, tensors: merged)
    }

    public func contains(_ key: String) -> Bool { tensors[key] != nil }

    public func shape(of key: String) throws -> [Int] {
        guard let t = tensors[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        return t.shape
    }

    public func stored(_ key: String, shape expected: [Int]) throws -> StoredTensor {
        guard let t = tensors[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        guard t.shape == expected else {
            throw CheckpointError.shapeMismatch(key: key, file: file, expected: expected, actual: t.shape)
        }
        lock.lock(); read.insert(key); lock.unlock()
        return t
    }

    /// The shapes of the tensors under `prefix` (what a LoRA can land on).
    public func shapes(under prefix: String) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (k, t) in tensors where k.hasPrefix(prefix) { out[k] = t.shape }
        return out
    }

    /// Bytes of the held tensors (each storage counted once): windows of the mapped file, and
    /// owned buffers (converted or patched tensors).
    public var storedBytes: (mapped: Int, owned: Int) {
        var seen = Set<UnsafeRawPointer>(), mapped = 0, owned = 0
        for t in tensors.values where seen.insert(t.storageAddress).inserted {
            if t.isMapped { mapped += t.byteCount } else { owned += t.byteCount }
        }
        return (mapped, owned)
    }

    /// Keys no model has read, sorted.
    public var unreadKeys: [String] {
        lock.lock(); defer { lock.unlock() }
        return tensors.keys.filter { !read.contains($0) }.sorted()
    }
}
