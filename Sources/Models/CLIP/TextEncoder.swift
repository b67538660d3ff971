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

    /// Runs the transformer over `windows` (equal lengths, at most `positions` ids each). `hiddenLayer`
    /// (0-based) also returns that layer's output, final-layer-normed (CLIPSetLastLayer).
    public func callAsFunction(_ windows: [[Int]], hiddenLayer: Int? = nil) throws -> CLIPTextOutput {
        let n = windows.first?.count ?? 0
        try validate(windows, length: n)
        let b = windows.count, c = config.width
        let tokens = tokenEmbedding(windows.flatMap { $0 }).reshaped([b, n, c])
        var x = tokens + positionEmbedding(Array(0..<n)).reshaped([1, n, c])   // [B, N, width]
        let mask = Self.causalMask(n)
        var hidden: Tensor?
        for (i, layer) in layers.enumerated() {
            x = layer(x, mask: mask)
            if i == hiddenLayer { hidden = x }
        }
        let last = finalNorm(x)
        let ends = windows.map { $0.firstIndex(of: config.endToken) ?? (n - 1) }
        return CLIPTextOutput(last: last, hidden: hidden.map { finalNorm($0) },
                              pooled: Self.rows(last, at: ends))
    }

    /// The 0-based layer whose output CLIPSetLastLayer selects, or nil for the normal output
    /// (sd1_clip.py set_clip_options: |index| beyond the layer count falls back to the last layer).
    public func hiddenLayer(stopAtClipLayer index: Int?) -> Int? {
        guard let index, abs(index) <= layers.count else { return nil }
        return index < 0 ? layers.count + index : index
    }

    func validate(_ windows: [[Int]], length n: Int) throws {
        guard !windows.isEmpty, n > 0 else { throw CLIPInputError.empty }
        guard n <= config.positions else { throw CLIPInputError.tooLong(n, max: config.positions) }
        for w in windows {
            guard w.count == n else { throw CLIPInputError.unequalWindows(n, w.count) }
            if let bad = w.first(where: { $0 < 0 || $0 >= config.vocabSize }) {
                throw CLIPInputError.tokenOutOfRange(bad, vocabulary: config.vocabSize)
            }
        }
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
