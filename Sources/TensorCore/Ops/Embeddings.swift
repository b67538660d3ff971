import Foundation

/// Sinusoidal timestep embeddings and rotary position embeddings.

/// Sinusoidal embedding of timesteps t [N] -> [N, dim]. With the defaults this matches ComfyUI
/// 0.8.0 comfy/ldm/modules/diffusionmodules/util.py timestep_embedding (cos half first, a zero
/// column when dim is odd); Flux's layers.py version is the same after t * 1000. The frequencies
/// are exp(-ln(maxPeriod) * i / (half - downscaleFreqShift)), computed in Float32 as torch does.
public func timestepEmbedding(_ t: Tensor, dim: Int, maxPeriod: Float = 10000, flipSinToCos: Bool = true,
                              downscaleFreqShift: Float = 0) -> Tensor {
    precondition(t.rank == 1 && dim > 0, "timestepEmbedding: t \(t.shape), dim \(dim)")
    let half = dim / 2, times = t.scalars
    let logPeriod = -Float(Foundation.log(Double(maxPeriod)))
    let freqs = (0..<half).map { Foundation.exp(logPeriod * Float($0) / (Float(half) - downscaleFreqShift)) }
    var out = Tensor(shape: [times.count, dim], repeating: 0)
    out.withUnsafeMutableBufferPointer { o in
        for (n, time) in times.enumerated() {
            let row = o.baseAddress! + n * dim
            let (first, second) = flipSinToCos ? (row, row + half) : (row + half, row)
            for i in 0..<half {
                let arg = time * freqs[i]
                first[i] = Foundation.cos(arg)
                second[i] = Foundation.sin(arg)
            }
        }
    }
    return out
}

/// Flux's rope (comfy/ldm/flux/math.py): positions pos [B, N] -> rotation matrices
/// [B, N, dim/2, 2, 2] = [[cos, -sin], [sin, cos]] of pos * theta^(-2i/dim). Computed in Double
/// (torch uses float64 frequencies) and stored as Float32.
public func rope(_ pos: Tensor, dim: Int, theta: Float) -> Tensor {
    precondition(pos.rank == 2 && dim > 0 && dim % 2 == 0, "rope: pos \(pos.shape), dim \(dim)")
    let half = dim / 2, positions = pos.scalars
    let omega = (0..<half).map { i -> Double in
        let scale = half == 1 ? 0 : Double(i) * (Double(dim - 2) / Double(dim)) / Double(half - 1)
        return 1 / Foundation.pow(Double(theta), scale)
    }
    var out = Tensor(shape: pos.shape + [half, 2, 2], uninitialized: ())
    out.withUnsafeMutableBufferPointer { o in
        for (n, p) in positions.enumerated() {
            for i in 0..<half {
                let a = Double(Float(p)) * omega[i]
                let c = Float(Foundation.cos(a)), s = Float(Foundation.sin(a))
                let e = o.baseAddress! + (n * half + i) * 4
                e[0] = c; e[1] = -s; e[2] = s; e[3] = c
            }
        }
    }
    return out
}

/// Flux's apply_rope1: x [B, H, N, D] rotated pairwise by freqs [B or 1, 1, N, D/2, 2, 2] (as EmbedND
/// returns it; [B, N, D/2, 2, 2] is accepted too): out[2i + r] = f[i,r,0] x[2i] + f[i,r,1] x[2i+1].
public func applyRope(_ x: Tensor, freqs: Tensor) -> Tensor {
    precondition(x.rank == 4 && x.shape[3] % 2 == 0, "applyRope: x \(x.shape) is not [B, H, N, D]")
    let (b, h, n, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let perItem = n * d * 2                            // floats of freqs per batch item
    precondition(freqs.count == perItem || freqs.count == b * perItem,
                 "applyRope: freqs \(freqs.shape) do not fit x \(x.shape)")
    let fStride = freqs.count == perItem ? 0 : perItem
    var out = Tensor(shape: x.shape, uninitialized: ())
    x.withUnsafeBufferPointer { xp in freqs.withUnsafeBufferPointer { fp in out.withUnsafeMutableBufferPointer { op in
        let src = xp.baseAddress!, f0 = fp.baseAddress!, dst = op.baseAddress!
        Parallel.forEach(b * h, grain: max(1, Parallel.elementGrain / max(n * d, 1))) { range in
            for bh in range {
                let f = f0 + (bh / h) * fStride, base = bh * n * d
                for t in 0..<n {
                    let xi = src + base + t * d, xo = dst + base + t * d, ft = f + t * d * 2
                    for i in 0..<(d / 2) {
                        let x0 = xi[2 * i], x1 = xi[2 * i + 1], m = ft + 4 * i
                        xo[2 * i] = m[0] * x0 + m[1] * x1
                        xo[2 * i + 1] = m[2] * x0 + m[3] * x1
                    }
                }
            }
        }
    }}}
    return out
}
