import Dispatch
import Foundation
import TensorCore

/// Matches ComfyUI 0.8.0 comfy/utils.py `bislerp`: bilinear resampling whose blend of two
/// neighbours is a spherical interpolation of their channel vectors (norms interpolated
/// linearly), width first, then height. Neighbours and ratios come from torch's bilinear
/// interpolation of the index ramp, as ComfyUI computes them. `[N, C, H, W]`, batch in parallel.
enum Bislerp {
    static func resize(_ x: Tensor, height newH: Int, width newW: Int) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        // Width first: rows y, source offset y·w + i, output offset y·newW + o.
        let wide = pass(x, n: n, c: c, lines: h, count: newW, neighbours: neighbours(old: w, new: newW),
                        plane: h * w, source: { y, i in y * w + i }, target: { y, o in y * newW + o })
        // Then height: columns x of the widened planes, source offset i·newW + x.
        return pass(wide, n: n, c: c, lines: newW, count: newH, neighbours: neighbours(old: h, new: newH),
                    plane: h * newW, source: { x, i in i * newW + x }, target: { x, o in o * newW + x })
            .reshaped([n, c, newH, newW])
    }

    /// For each output index: the two source indices and the ratio (`generate_bilinear_data`:
    /// torch's bilinear interpolation of `arange(L)` and of `arange(L) + 1` with its last entry
    /// lowered back to L - 1).
    static func neighbours(old: Int, new: Int) -> [(Int, Int, Float)] {
        Interpolation.bilinear.taps(input: old, output: new).map { t in
            let up = { (i: Int) in Float(i < old - 1 ? i + 1 : i) }
            let ramp1 = t.weights[0] * Float(t.indices[0]) + t.weights[1] * Float(t.indices[1])
            let ramp2 = t.weights[0] * up(t.indices[0]) + t.weights[1] * up(t.indices[1])
            return (Int(ramp1), Int(ramp2), ramp1 - ramp1.rounded(.down))
        }
    }

    /// Slerps along one axis of every `[plane]` of `x` (`[n, c, ...]`), items in parallel.
    private static func pass(_ x: Tensor, n: Int, c: Int, lines: Int, count: Int, neighbours: [(Int, Int, Float)],
                             plane: Int, source: (Int, Int) -> Int, target: (Int, Int) -> Int) -> Tensor {
        let outPlane = lines * count
        var out = Tensor(shape: [n, c, outPlane], uninitialized: ())
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let dst = SendableBuffer(dst)
                DispatchQueue.concurrentPerform(iterations: n) { item in
                    var a = [Float](repeating: 0, count: c), b = a, r = a
                    for line in 0..<lines {
                        for o in 0..<count {
                            let (i1, i2, ratio) = neighbours[o]
                            let s1 = source(line, i1), s2 = source(line, i2)
                            for ch in 0..<c {
                                a[ch] = src[(item * c + ch) * plane + s1]
                                b[ch] = src[(item * c + ch) * plane + s2]
                            }
                            slerp(a, b, ratio, into: &r)
                            let t = target(line, o)
                            for ch in 0..<c { dst[(item * c + ch) * outPlane + t] = r[ch] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// ComfyUI's `slerp` for one pair of channel vectors.
    static func slerp(_ b1: [Float], _ b2: [Float], _ r: Float, into res: inout [Float]) {
        let n1 = b1.reduce(0) { $0 + $1 * $1 }.squareRoot(), n2 = b2.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var dot: Float = 0
        for i in b1.indices {
            let u = n1 == 0 ? 0 : b1[i] / n1, v = n2 == 0 ? 0 : b2[i] / n2
            dot += u * v
        }
        if dot > Float(1 - 1e-5) {
            for i in b1.indices { res[i] = b1[i] }
            return
        }
        if dot < Float(1e-5 - 1) {
            for i in b1.indices { res[i] = b1[i] * (1 - r) + b2[i] * r }
            return
        }
        let omega = acosf(dot), so = sinf(omega)
        let k1 = sinf((1 - r) * omega) / so, k2 = sinf(r * omega) / so
        let norm = n1 * (1 - r) + n2 * r
        for i in b1.indices {
            let u = n1 == 0 ? 0 : b1[i] / n1, v = n2 == 0 ? 0 : b2[i] / n2
            res[i] = (k1 * u + k2 * v) * norm
        }
    }
}
