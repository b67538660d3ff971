// Matches ComfyUI 0.8.0 comfy/ldm/modules/attention.py SpatialTransformer and
// BasicTransformerBlock (SD1.x: 1x1-conv projections, self- then cross-attention, GEGLU).
import TensorCore

/// Three residual lines: self-attention, cross-attention over the text, feed-forward.
struct BasicTransformerBlock {
    let norm1: LayerNorm           // norm1
    let attn1: CrossAttention      // attn1 (self)
    let norm2: LayerNorm           // norm2
    let attn2: CrossAttention      // attn2 (over the context)
    let norm3: LayerNorm           // norm3
    let ff: GEGLUFeedForward       // ff

    init(_ w: WeightScope, dim: Int, context: Int, heads: Int) throws {
        let d = dim / heads
        norm1 = try LayerNorm(w["norm1"], channels: dim)
        attn1 = try CrossAttention(w["attn1"], query: dim, context: dim, heads: heads, headWidth: d)
        norm2 = try LayerNorm(w["norm2"], channels: dim)
        attn2 = try CrossAttention(w["attn2"], query: dim, context: context, heads: heads, headWidth: d)
        norm3 = try LayerNorm(w["norm3"], channels: dim)
        ff = try GEGLUFeedForward(w["ff"], dim: dim)
    }

    func callAsFunction(_ x: Tensor, context: Tensor) -> Tensor {  // x [B,HW,dim]
        var x = x
        let n1 = norm1(x)
        x = attn1(n1, context: n1) + x
        x = attn2(norm2(x), context: context) + x
        return ff(norm3(x)) + x
    }
}

/// proj_in and proj_out: 1x1 convolutions in SD1.x, Linear layers where use_linear_in_transformer.
enum TransformerProjection {
    case conv(Conv2d)
    case linear(Linear)

    init(_ w: WeightScope, in i: Int, out o: Int, linear: Bool) throws {
        self = linear ? .linear(try Linear(w, in: i, out: o)) : .conv(try Conv2d(w, in: i, out: o, kernel: 1))
    }
}

/// Attention over the pixels of a feature map, conditioned on the text context.
struct SpatialTransformer {
    let norm: GroupNorm                        // norm (eps 1e-6)
    let projIn: TransformerProjection          // proj_in
    let blocks: [BasicTransformerBlock]        // transformer_blocks.N
    let projOut: TransformerProjection         // proj_out

    init(_ w: WeightScope, channels c: Int, depth: Int, context: Int, heads: Int, linear: Bool) throws {
        norm = try GroupNorm(w["norm"], channels: c, eps: 1e-6)
        projIn = try TransformerProjection(w["proj_in"], in: c, out: c, linear: linear)
        blocks = try (0..<depth).map {
            try BasicTransformerBlock(w["transformer_blocks"][$0], dim: c, context: context, heads: heads)
        }
        projOut = try TransformerProjection(w["proj_out"], in: c, out: c, linear: linear)
    }

    func callAsFunction(_ x: Tensor, context: Tensor) -> Tensor {    // x [B,C,H,W], context [B,M,ctx]
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var t = norm(x)
        if case .conv(let conv) = projIn { t = conv(t) }
        t = permuted(t, [0, 2, 3, 1]).reshaped([b, h * w, c])         // [B,HW,C]
        if case .linear(let lin) = projIn { t = lin(t) }
        for block in blocks { t = block(t, context: context) }
        if case .linear(let lin) = projOut { t = lin(t) }
        t = permuted(t.reshaped([b, h, w, c]), [0, 3, 1, 2])          // [B,C,H,W]
        if case .conv(let conv) = projOut { t = conv(t) }
        return t + x
    }
}
