// Matches ComfyUI 0.8.0 comfy/text_encoders/t5.py T5Block (T5LayerSelfAttention + T5LayerFF with
// T5DenseGatedActDense): pre-RMS-norm residual blocks, attention without bias terms and without
// 1/sqrt(d) scaling, a gated tanh-GELU feed-forward.
import TensorCore

/// One encoder block (`encoder.block.N`).
struct T5Block {
    let attentionNorm: Tensor     // layer.0.layer_norm.weight
    let q, k, v, o: Linear        // layer.0.SelfAttention.{q,k,v,o}
    let feedForwardNorm: Tensor   // layer.1.layer_norm.weight
    let wi0, wi1, wo: Linear      // layer.1.DenseReluDense.{wi_0 (GELU), wi_1 (gate), wo}
    let config: T5Config

    init(_ w: WeightScope, _ c: T5Config) throws {
        let a = w["layer.0"], f = w["layer.1"]
        attentionNorm = try a["layer_norm"].tensor("weight", shape: [c.width])
        q = try Linear(a["SelfAttention.q"], in: c.width, out: c.width, bias: false)
        k = try Linear(a["SelfAttention.k"], in: c.width, out: c.width, bias: false)
        v = try Linear(a["SelfAttention.v"], in: c.width, out: c.width, bias: false)
        o = try Linear(a["SelfAttention.o"], in: c.width, out: c.width, bias: false)
        feedForwardNorm = try f["layer_norm"].tensor("weight", shape: [c.width])
        wi0 = try Linear(f["DenseReluDense.wi_0"], in: c.width, out: c.feedForward, bias: false)
        wi1 = try Linear(f["DenseReluDense.wi_1"], in: c.width, out: c.feedForward, bias: false)
        wo = try Linear(f["DenseReluDense.wo"], in: c.feedForward, out: c.width, bias: false)
        config = c
    }

    /// x [B, N, width], bias [1, heads, N, N] (the relative position bias).
    func callAsFunction(_ x: Tensor, bias: Tensor) -> Tensor {
        let h = rmsNorm(x, weight: attentionNorm, eps: config.eps)
        // ComfyUI multiplies k by sqrt(d_kv) so that the attention's 1/sqrt(d) cancels (both exact powers of 2 here).
        let scale = Float(config.width / config.heads).squareRoot()
        let a = x + o(attention(q: q(h), k: k(h) * scale, v: v(h), heads: config.heads, mask: bias))
        let g = rmsNorm(a, weight: feedForwardNorm, eps: config.eps)
        return a + wo(geluTanh(wi0(g)) * wi1(g))
    }
}
