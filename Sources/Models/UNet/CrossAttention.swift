// Matches ComfyUI 0.8.0 comfy/ldm/modules/attention.py CrossAttention and FeedForward with GEGLU.
import TensorCore

/// Multi-head attention of `x` over `context` (itself for attn1). Plain softmax(QK^T/sqrt(d))V:
/// ComfyUI's attention_sub_quad only chunks that computation.
struct CrossAttention {
    let q: Linear          // to_q (no bias)
    let k: Linear          // to_k (no bias)
    let v: Linear          // to_v (no bias)
    let out: Linear        // to_out.0 (to_out.1 is dropout)
    let heads: Int

    init(_ w: WeightScope, query: Int, context: Int, heads: Int, headWidth: Int) throws {
        let inner = heads * headWidth
        q = try Linear(w["to_q"], in: query, out: inner, bias: false)
        k = try Linear(w["to_k"], in: context, out: inner, bias: false)
        v = try Linear(w["to_v"], in: context, out: inner, bias: false)
        out = try Linear(w["to_out.0"], in: inner, out: query)
        self.heads = heads
    }

    func callAsFunction(_ x: Tensor, context: Tensor) -> Tensor {   // x [B,N,query], context [B,M,ctx]
        out(attention(q: q(x), k: k(context), v: v(context), heads: heads, mask: nil))
    }
}

/// FeedForward(glu=True): GEGLU projection to 2x inner, x * gelu(gate), back to dim.
struct GEGLUFeedForward {
    let proj: Linear       // net.0.proj  [2*inner, dim]
    let down: Linear       // net.2       [dim, inner]  (net.1 is dropout)

    init(_ w: WeightScope, dim: Int, mult: Int = 4) throws {
        proj = try Linear(w["net.0.proj"], in: dim, out: dim * mult * 2)
        down = try Linear(w["net.2"], in: dim * mult, out: dim)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {                  // x [B,N,dim]
        let halves = chunk(proj(x), parts: 2, axis: -1)                  // value, gate: [B,N,inner] each
        return down(halves[0] * gelu(halves[1]))
    }
}
