// Matches ComfyUI 0.8.0 comfy/ldm/modules/diffusionmodules/model.py ResnetBlock (no timestep),
// AttnBlock (1x1-conv q/k/v, one head over the pixels), Downsample and Upsample (with_conv).
import TensorCore

/// ResnetBlock: two 3x3 convolutions with GroupNorm (eps 1e-6) and swish, 1x1 shortcut if needed.
struct VAEResnetBlock {
    let norm1: GroupNorm       // norm1
    let conv1: Conv2d          // conv1
    let norm2: GroupNorm       // norm2
    let conv2: Conv2d          // conv2 (after dropout: nothing at inference)
    let shortcut: Conv2d?      // nin_shortcut, only when the channel count changes

    init(_ w: WeightScope, in c: Int, out o: Int) throws {
        norm1 = try GroupNorm(w["norm1"], channels: c, eps: 1e-6)
        conv1 = try Conv2d(w["conv1"], in: c, out: o, kernel: 3, padding: 1)
        norm2 = try GroupNorm(w["norm2"], channels: o, eps: 1e-6)
        conv2 = try Conv2d(w["conv2"], in: o, out: o, kernel: 3, padding: 1)
        shortcut = try c == o ? nil : Conv2d(w["nin_shortcut"], in: c, out: o, kernel: 1)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {                   // x [B,c,H,W] -> [B,o,H,W]
        let h = conv2(silu(norm2(conv1(silu(norm1(x))))))
        return (shortcut?(x) ?? x) + h
    }
}

/// AttnBlock: single-head self-attention over the H*W pixels, scale 1/sqrt(C).
struct VAEAttentionBlock {
    let norm: GroupNorm        // norm
    let q: Conv2d              // q
    let k: Conv2d              // k
    let v: Conv2d              // v
    let projOut: Conv2d        // proj_out

    init(_ w: WeightScope, channels c: Int) throws {
        norm = try GroupNorm(w["norm"], channels: c, eps: 1e-6)
        q = try Conv2d(w["q"], in: c, out: c, kernel: 1)
        k = try Conv2d(w["k"], in: c, out: c, kernel: 1)
        v = try Conv2d(w["v"], in: c, out: c, kernel: 1)
        projOut = try Conv2d(w["proj_out"], in: c, out: c, kernel: 1)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {                   // x [B,C,H,W]
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let n = norm(x)
        func tokens(_ t: Tensor) -> Tensor { permuted(t.reshaped([b, c, h * w]), [0, 2, 1]) }  // [B,HW,C]
        let a = attention(q: tokens(q(n)), k: tokens(k(n)), v: tokens(v(n)), heads: 1, mask: nil)
        return x + projOut(permuted(a, [0, 2, 1]).reshaped([b, c, h, w]))
    }
}

/// Downsample: pad one zero row/column at the bottom/right, then a 3x3 stride-2 convolution.
struct VAEDownsample {
    let conv: Conv2d           // conv

    init(_ w: WeightScope, channels c: Int) throws {
        conv = try Conv2d(w["conv"], in: c, out: c, kernel: 3, stride: 2, padding: 0)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { conv(pad(x, left: 0, right: 1, top: 0, bottom: 1)) }
}

/// Upsample: nearest 2x, then a 3x3 convolution.
struct VAEUpsample {
    let conv: Conv2d           // conv

    init(_ w: WeightScope, channels c: Int) throws {
        conv = try Conv2d(w["conv"], in: c, out: c, kernel: 3, padding: 1)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { conv(upsampleNearest2x(x)) }
}
