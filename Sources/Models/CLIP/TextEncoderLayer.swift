// Matches ComfyUI 0.8.0 comfy/clip_model.py CLIPAttention, CLIPMLP and CLIPLayer (pre-LayerNorm).
import TensorCore

/// One pre-LN transformer layer of the CLIP text model.
struct CLIPTextLayer {
    let norm1: LayerNorm       // layer_norm1
    let q: Linear              // self_attn.q_proj
    let k: Linear              // self_attn.k_proj
    let v: Linear              // self_attn.v_proj
    let out: Linear            // self_attn.out_proj
    let norm2: LayerNorm       // layer_norm2
    let fc1: Linear            // mlp.fc1 (then quick-GELU)
    let fc2: Linear            // mlp.fc2
    let heads: Int

    init(_ w: WeightScope, _ c: CLIPConfig) throws {
        norm1 = try LayerNorm(w["layer_norm1"], channels: c.width)
        q = try Linear(w["self_attn.q_proj"], in: c.width, out: c.width)
        k = try Linear(w["self_attn.k_proj"], in: c.width, out: c.width)
        v = try Linear(w["self_attn.v_proj"], in: c.width, out: c.width)
        out = try Linear(w["self_attn.out_proj"], in: c.width, out: c.width)
        norm2 = try LayerNorm(w["layer_norm2"], channels: c.width)
        fc1 = try Linear(w["mlp.fc1"], in: c.width, out: c.intermediate)
        fc2 = try Linear(w["mlp.fc2"], in: c.intermediate, out: c.width)
        heads = c.heads
    }

    func callAsFunction(_ x: Tensor, mask: Tensor) -> Tensor {   // x [B, N, width]
        let h = norm1(x)
        let a = x + out(attention(q: q(h), k: k(h), v: v(h), heads: heads, mask: mask))
        return a + fc2(quickGELU(fc1(norm2(a))))                   // fc1: [B, N, intermediate]
    }
}
