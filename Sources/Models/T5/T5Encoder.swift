// Matches ComfyUI 0.8.0 comfy/text_encoders/t5.py T5 (T5Stack encoder) as the Flux/SD3 T5-XXL text
// encoder runs it: shared embedding, 24 blocks sharing block 0's relative position bias, final
// RMS norm; no attention mask (ComfyUI's default for T5-XXL). Weights stay in their file dtype
// (fp8 for t5xxl_fp8_e4m3fn) and are widened to Float32 as each layer uses them.
import TensorCore

/// The T5 v1.1 encoder (`shared.weight`, `encoder.*`).
public struct T5Encoder {
    public let config: T5Config
    let embedding: Embedding                 // shared
    let positionBias: T5RelativePositionBias // encoder.block.0.layer.0.SelfAttention.relative_attention_bias
    let blocks: [T5Block]                    // encoder.block.N
    let finalNorm: Tensor                    // encoder.final_layer_norm.weight

    public init(_ w: WeightScope, config c: T5Config = .xxl) throws {
        config = c
        embedding = try Embedding(w["shared"], count: c.vocabSize, dim: c.width)
        positionBias = T5RelativePositionBias(
            table: try Embedding(w["encoder.block.0.layer.0.SelfAttention.relative_attention_bias"],
                                 count: c.relativeBuckets, dim: c.heads), config: c)
        blocks = try (0..<c.layers).map { try T5Block(w["encoder.block"][$0], c) }
        finalNorm = try w["encoder.final_layer_norm"].tensor("weight", shape: [c.width])
    }

    /// The last hidden state after `final_layer_norm`, [1, N, width], for token ids (N >= 1).
    public func callAsFunction(_ ids: [Int]) -> Tensor {
        precondition(!ids.isEmpty && ids.allSatisfy { (0..<config.vocabSize).contains($0) },
                     "T5 token ids must be in 0..<\(config.vocabSize)")
        let n = ids.count
        var x = embedding(ids).reshaped([1, n, config.width])
        let bias = positionBias(n)
        for block in blocks { x = block(x, bias: bias) }
        return rmsNorm(x, weight: finalNorm, eps: config.eps)
    }
}
