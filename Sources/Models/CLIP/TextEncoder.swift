// Matches ComfyUI 0.8.0 comfy/clip_model.py CLIPTextModel_ (the ViT-L/14 text transformer) as
// driven by comfy/sd1_clip.py SDClipModel.forward: no attention padding mask, causal mask only.
import TensorCore

/// What one pass of the text transformer gives for a batch of token windows.
public struct CLIPTextOutput {
    public let last: Tensor        // [B, N, width]: final-layer-normed output of the last layer
    public let hidden: Tensor?     // [B, N, width]: final-layer-normed output of the selected layer
    public let pooled: Tensor      // [B, width]: `last` at each window's first end token
}

/// The SD1 text encoder (`cond_stage_model.transformer.text_model.*`). ComfyUI holds its weights in
/// float16 and computes in float32; loading through a `.float16` `WeightScope` gives the same values.
public struct CLIPTextEncoder {
    public let config: CLIPConfig
    let tokenEmbedding: Embedding      // embeddings.token_embedding
    let positionEmbedding: Embedding   // embeddings.position_embedding
    let layers: [CLIPTextLayer]        // encoder.layers.N
    let finalNorm: LayerNorm           // final_layer_norm

    public init(_ w: WeightScope, config c: CLIPConfig) throws {
        config = c
        tokenEmbedding = try Embedding(w["embeddings.token_embedding"], count: c.vocabSize, dim: c.width)
        positionEmbedding = try Embedding(w["embeddings.position_embedding"], count: c.positions, dim: c.width)
        layers = try (0..<c.layers).map { try CLIPTextLayer(w["encoder.layers"][$0], c) }
        finalNorm = try LayerNorm(w["final_layer_norm"], channels: c.width)
    }

    /// Runs the transformer over token windows of equal length (at most `positions`): token ids
    /// and spliced embedding vectors (textual inversion). `hiddenLayer` (0-based) also returns that
    /// layer's output, final-layer-normed (CLIPSetLastLayer).
    public func callAsFunction(_ windows: [TokenWindow], hiddenLayer: Int? = nil) throws -> CLIPTextOutput {
        let inputs = try windows.map { try embed($0) }
        let n = inputs.first?.rows.shape[0] ?? 0
        guard n > 0 else { throw CLIPInputError.empty }
        guard n <= config.positions else { throw CLIPInputError.tooLong(n, max: config.positions) }
        if let other = inputs.first(where: { $0.rows.shape[0] != n }) {
            throw CLIPInputError.unequalWindows(n, other.rows.shape[0])
        }
        let b = windows.count, c = config.width
        let tokens = concat(inputs.map(\.rows), axis: 0).reshaped([b, n, c])
        var x = tokens + positionEmbedding(Array(0..<n)).reshaped([1, n, c])   // [B, N, width]
        let mask = Self.causalMask(n)
        var hidden: Tensor?
        for (i, layer) in layers.enumerated() {
            x = layer(x, mask: mask)
            if i == hiddenLayer { hidden = x }
        }
        let last = finalNorm(x)
        return CLIPTextOutput(last: last, hidden: hidden.map { finalNorm($0) },
                              pooled: Self.rows(last, at: inputs.map(\.end)))
    }

    /// sd1_clip.py process_tokens: token rows from the table, embedding vectors in place; a vector
    /// of the wrong width is dropped (ComfyUI warns) and a pad token appended instead. `end` is the
    /// first end token, where the pooled output is read (the last position if there is none).
    func embed(_ window: TokenWindow) throws -> (rows: Tensor, end: Int) {
        var ids: [Int] = [], vectors: [(position: Int, values: [Float])] = [], dropped = 0
        for item in window.items {
            switch item {
            case .token(let id):
                guard id >= 0 && id < config.vocabSize else {
                    throw CLIPInputError.tokenOutOfRange(id, vocabulary: config.vocabSize)
                }
                ids.append(id)
            case .embedding(let v) where v.count == config.width:
                vectors.append((ids.count, v))
                ids.append(0)
            case .embedding:
                dropped += 1
            }
        }
        let end = ids.firstIndex(of: config.endToken)                          // embedding slots hold 0
        ids += Array(repeating: config.endToken, count: dropped)
        var rows = tokenEmbedding(ids)                                         // [N, width]
        rows.withUnsafeMutableBufferPointer { p in
            for (position, values) in vectors {
                for (j, v) in values.enumerated() { p[position * config.width + j] = v }
            }
        }
        return (rows, end ?? (ids.count - 1))
    }

    /// The 0-based layer whose output CLIPSetLastLayer selects, or nil for the normal output
    /// (sd1_clip.py set_clip_options: |index| beyond the layer count falls back to the last layer).
    public func hiddenLayer(stopAtClipLayer index: Int?) -> Int? {
        guard let index, abs(index) <= layers.count else { return nil }
        return index < 0 ? layers.count + index : index
    }

    /// ComfyUI's causal mask: -finfo(float32).max above the diagonal, added to the scores.
    static func causalMask(_ n: Int) -> Tensor {
        var m = Tensor(shape: [n, n], repeating: 0)
        m.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { p[i * n + j] = -.greatestFiniteMagnitude } }
        }
        return m
    }

    /// Row `at[b]` of every batch item: [B, N, C] -> [B, C].
    static func rows(_ x: Tensor, at positions: [Int]) -> Tensor {
        let (b, n, c) = (x.shape[0], x.shape[1], x.shape[2])
        var out = Tensor(shape: [b, c], uninitialized: ())
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<b {
                    let from = (i * n + positions[i]) * c
                    for j in 0..<c { dst[i * c + j] = src[from + j] }
                }
            }
        }
        return out
    }
}

/// Token windows the text encoder cannot take.
public enum CLIPInputError: Error, Equatable, CustomStringConvertible {
    case empty
    case tooLong(Int, max: Int)
    case unequalWindows(Int, Int)
    case tokenOutOfRange(Int, vocabulary: Int)
    case weightsMismatch(tokens: Int, weights: Int)

    public var description: String {
        switch self {
        case .empty: return "no tokens to encode"
        case let .tooLong(n, max): return "token window of \(n) tokens exceeds the \(max) positions of the text encoder"
        case let .unequalWindows(a, b): return "token windows differ in length (\(a) and \(b))"
        case let .tokenOutOfRange(t, v): return "token id \(t) is outside the vocabulary of \(v)"
        case let .weightsMismatch(t, w): return "token window has \(t) tokens but \(w) weights"
        }
    }
}
