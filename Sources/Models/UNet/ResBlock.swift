// Matches ComfyUI 0.8.0 comfy/ldm/modules/diffusionmodules/openaimodel.py ResBlock
// (no scale-shift norm, no up/down inside, 1x1 skip convolution when the channel count changes).
import TensorCore

/// LDM ResBlock with the timestep embedding added between its two convolutions.
struct ResBlock {
    let inNorm: GroupNorm      // in_layers.0      (in_layers.1 is SiLU)
    let inConv: Conv2d         // in_layers.2
    let embProj: Linear        // emb_layers.1     (emb_layers.0 is SiLU)
    let outNorm: GroupNorm     // out_layers.0     (out_layers.2 is dropout: nothing at inference)
    let outConv: Conv2d        // out_layers.3
    let skip: Conv2d?          // skip_connection, only when the channel count changes

    init(_ w: WeightScope, channels c: Int, out o: Int, embedding e: Int) throws {
        inNorm = try GroupNorm(w["in_layers.0"], channels: c, eps: 1e-5)
        inConv = try Conv2d(w["in_layers.2"], in: c, out: o, kernel: 3, padding: 1)
        embProj = try Linear(w["emb_layers.1"], in: e, out: o)
        outNorm = try GroupNorm(w["out_layers.0"], channels: o, eps: 1e-5)
        outConv = try Conv2d(w["out_layers.3"], in: o, out: o, kernel: 3, padding: 1)
        skip = try c == o ? nil : Conv2d(w["skip_connection"], in: c, out: o, kernel: 1)
    }

    func callAsFunction(_ x: Tensor, _ emb: Tensor) -> Tensor {   // x [B,c,H,W], emb [B,e]
        var h = inConv(silu(inNorm(x)))                            // [B,o,H,W]
        h = h + embProj(silu(emb)).reshaped([h.shape[0], h.shape[1], 1, 1])   // broadcast over H,W
        h = outConv(silu(outNorm(h)))
        return (skip?(x) ?? x) + h
    }
}
