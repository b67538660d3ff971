// Matches ComfyUI 0.8.0 comfy/conds.py (CONDRegular, CONDCrossAttn: process_cond, can_concat,
// concat) and comfy/samplers.py cond_equal_size / cond_cat: the model inputs a family builds from a
// CONDITIONING entry (model_base.*.extra_conds) and how the sampler batches them.
import TensorCore

/// One input of a diffusion model made from a conditioning entry (a `comfy.conds` object).
public struct ModelInput: Sendable {
    public enum Concat: Sendable, Equatable {
        /// CONDRegular: entries batch only with equal shapes (pooled `y`, Flux's context, guidance).
        case regular
        /// CONDCrossAttn: token counts may differ (the longer at most 4x the LCM); each context is
        /// tiled to the LCM ("padding with repeat doesn't change result").
        case crossAttention
    }

    public var tensor: Tensor
    public var concat: Concat

    public init(_ tensor: Tensor, concat: Concat) {
        self.tensor = tensor
        self.concat = concat
    }

    public static func regular(_ t: Tensor) -> ModelInput { ModelInput(t, concat: .regular) }
    public static func crossAttention(_ t: Tensor) -> ModelInput { ModelInput(t, concat: .crossAttention) }

    /// `can_concat`.
    func canConcat(_ other: ModelInput) -> Bool {
        let s1 = tensor.shape, s2 = other.tensor.shape
        guard concat == other.concat else { return false }
        if s1 == s2 { return true }
        guard concat == .crossAttention, s1.count == 3, s2.count == 3, s1[0] == s2[0], s1[2] == s2[2] else { return false }
        return lcm(s1[1], s2[1]) / min(s1[1], s2[1]) <= 4
    }

    /// `concat` of inputs already repeated to the batch size (`process_cond`), along the batch.
    static func concatenated(_ inputs: [ModelInput]) -> Tensor {
        let tensors = inputs.map(\.tensor)
        guard inputs[0].concat == .crossAttention else { return tensors.count == 1 ? tensors[0] : TensorCore.concat(tensors, axis: 0) }
        let length = tensors.map { $0.shape[1] }.reduce(tensors[0].shape[1], lcm)
        let tiled = tensors.map { c in c.shape[1] == length ? c : TensorCore.concat(Array(repeating: c, count: length / c.shape[1]), axis: 1) }
        return tiled.count == 1 ? tiled[0] : TensorCore.concat(tiled, axis: 0)
    }
}

/// The inputs a family's network takes besides x and the timestep, by ComfyUI's names: what
/// `extra_conds` returns for one entry, or a batch of entries after `cond_cat`. SD1.x uses
/// `c_crossattn` only; SDXL adds `y` (pooled output + size embedding); Flux has `c_crossattn`
/// (regular), `y` (pooled) and `guidance`. A family can name more keys in its own folder.
public struct ModelConditioning: Sendable {
    public struct Key: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public let name: String
        public init(stringLiteral name: String) { self.name = name }
        public var description: String { name }

        public static let crossAttention: Key = "c_crossattn"
        public static let y: Key = "y"
        public static let guidance: Key = "guidance"
    }

    public var inputs: [Key: ModelInput]

    public init(_ inputs: [Key: ModelInput]) { self.inputs = inputs }

    public subscript(_ key: Key) -> Tensor? { inputs[key]?.tensor }

    /// The input `key`, or an error naming it (a family's network reading an input its family did not build).
    public func tensor(_ key: Key) throws -> Tensor {
        guard let t = inputs[key]?.tensor else { throw MissingModelInput(key: key.name, present: inputs.keys.map(\.name).sorted()) }
        return t
    }

    /// `cond_equal_size`: the same keys, each pair concatenable.
    func canConcat(_ other: ModelConditioning) -> Bool {
        guard Set(inputs.keys) == Set(other.inputs.keys) else { return false }
        return inputs.allSatisfy { key, input in other.inputs[key].map(input.canConcat) ?? false }
    }

    /// `process_cond(batch_size)` of every input of every entry (`repeat_to_batch_size`), then `cond_cat`.
    static func batched(_ entries: [ModelConditioning], batch: Int) -> ModelConditioning {
        var out: [Key: ModelInput] = [:]
        for key in entries[0].inputs.keys {
            let parts = entries.compactMap { $0.inputs[key] }.map { ModelInput(repeatToBatch($0.tensor, batch), concat: $0.concat) }
            out[key] = ModelInput(ModelInput.concatenated(parts), concat: parts[0].concat)
        }
        return ModelConditioning(out)
    }

    /// comfy/utils.py `repeat_to_batch_size` along dim 0: truncated when larger, tiled when smaller.
    static func repeatToBatch(_ t: Tensor, _ batch: Int) -> Tensor {
        let n = t.shape[0]
        if n == batch { return t }
        if n > batch { return t.batch(0..<batch) }
        let tiled = concat(Array(repeating: t, count: (batch + n - 1) / n), axis: 0)
        return tiled.shape[0] == batch ? tiled : tiled.batch(0..<batch)
    }
}

/// A network asked for an input its family's conditioning did not provide.
public struct MissingModelInput: Error, CustomStringConvertible {
    public let key: String
    public let present: [String]
    public var description: String { "the model needs conditioning input '\(key)'; the conditioning has \(present)" }
}

private func lcm(_ a: Int, _ b: Int) -> Int {
    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    return a / gcd(a, b) * b
}
