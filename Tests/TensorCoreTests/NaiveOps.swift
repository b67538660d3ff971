import Foundation
import TensorCore

/// Plain-loop twins of the fast kernels: the specification the tests hold them to. Each computes
/// in Double straight from the definition (no BLAS, no tiling, no threads).

/// Deterministic pseudo-random values in [-1, 1) (a 64-bit LCG; independent of Sampling's RNG).
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    let n = shape.reduce(1, *)
    let values = (0..<n).map { _ -> Float in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
    }
    return Tensor(shape: shape, scalars: values)
}

enum Naive {
    /// a [M, K] x b [K, N] (both row-major arrays).
    static func matmul(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n {
            var s: Double = 0
            for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
            c[i * n + j] = Float(s)
        } }
        return c
    }

    static func conv2d(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride: Int, padding: Int) -> Tensor {
        let (bn, ci, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let ho = (h + 2 * padding - kh) / stride + 1, wo = (wd + 2 * padding - kw) / stride + 1
        let xs = x.scalars, ws = w.scalars, bs = bias?.scalars
        var out = [Float](repeating: 0, count: bn * co * ho * wo)
        for b in 0..<bn { for o in 0..<co { for y in 0..<ho { for xx in 0..<wo {
            var s = Double(bs?[o] ?? 0)
            for c in 0..<ci { for ky in 0..<kh { for kx in 0..<kw {
                let iy = y * stride - padding + ky, ix = xx * stride - padding + kx
                guard iy >= 0 && iy < h && ix >= 0 && ix < wd else { continue }
                s += Double(xs[((b * ci + c) * h + iy) * wd + ix]) * Double(ws[((o * ci + c) * kh + ky) * kw + kx])
            } } }
            out[((b * co + o) * ho + y) * wo + xx] = Float(s)
        } } } }
        return Tensor(shape: [bn, co, ho, wo], scalars: out)
    }

    /// q [B, Nq, H*D], k/v [B, Nk, H*D]; mask as a function of (b, h, i, j).
    static func attention(_ q: Tensor, _ k: Tensor, _ v: Tensor, heads: Int,
                          mask: ((Int, Int, Int, Int) -> Float)? = nil) -> Tensor {
        let (bn, nq, width) = (q.shape[0], q.shape[1], q.shape[2]), nk = k.shape[1], d = width / heads
        let qs = q.scalars, ks = k.scalars, vs = v.scalars
        var out = [Float](repeating: 0, count: q.count)
        for b in 0..<bn { for h in 0..<heads { for i in 0..<nq {
            var logits = [Double](repeating: 0, count: nk)
            for j in 0..<nk {
                var s: Double = 0
                for e in 0..<d { s += Double(qs[(b * nq + i) * width + h * d + e]) * Double(ks[(b * nk + j) * width + h * d + e]) }
                logits[j] = s / Double(d).squareRoot() + Double(mask?(b, h, i, j) ?? 0)
            }
            let m = logits.max()!
            let e = logits.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
            for c in 0..<d {
                var s: Double = 0
                for j in 0..<nk { s += e[j] / z * Double(vs[(b * nk + j) * width + h * d + c]) }
                out[(b * nq + i) * width + h * d + c] = Float(s)
            }
        } } }
        return Tensor(shape: q.shape, scalars: out)
    }

    static func groupNorm(_ x: Tensor, groups: Int, _ w: Tensor?, _ bias: Tensor?, eps: Double) -> Tensor {
        let b = x.shape[0], c = x.shape[1], sp = x.count / (b * c), cpg = c / groups
        var xs = x.scalars.map(Double.init)
        let ws = w?.scalars, bs = bias?.scalars
        for bi in 0..<b { for g in 0..<groups {
            let lo = (bi * c + g * cpg) * sp, n = cpg * sp
            let mean = xs[lo..<(lo + n)].reduce(0, +) / Double(n)
            let v = xs[lo..<(lo + n)].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            for i in 0..<n {
                let ch = g * cpg + i / sp
                xs[lo + i] = (xs[lo + i] - mean) / (v + eps).squareRoot() * Double(ws?[ch] ?? 1) + Double(bs?[ch] ?? 0)
            }
        } }
        return Tensor(shape: x.shape, scalars: xs.map { Float($0) })
    }
}
