import Foundation
import TensorKernels

/// Group, layer and RMS normalization (torch.nn.functional group_norm / layer_norm / rms_norm).
/// Statistics are sums and sums of squares accumulated in Double (TensorKernels' vector loop): for
/// activations of any realistic scale, E[x^2] - E[x]^2 in Double is as exact as PyTorch's float Welford.

/// Mean and 1/sqrt(var + eps) (biased variance) of `n` values.
func meanAndInverseStd(_ p: UnsafePointer<Float>, _ n: Int, eps: Float) -> (mean: Float, rstd: Float) {
    var s: Double = 0, q: Double = 0
    tk_moments(p, n, &s, &q)
    let mean = s / Double(n), variance = max(0, q / Double(n) - mean * mean)
    return (Float(mean), Float(1 / (variance + Double(eps)).squareRoot()))
}

/// GroupNorm over x [B, C, ...]: C is split into `groups`; weight and bias are [C].
public func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    precondition(x.rank >= 2 && groups > 0 && x.shape[1] % groups == 0, "groupNorm: \(groups) groups for \(x.shape)")
    let b = x.shape[0], c = x.shape[1], spatial = x.count / max(b * c, 1), cpg = c / groups
    precondition(weight.map { $0.count == c } ?? true && bias.map { $0.count == c } ?? true, "groupNorm: affine size != \(c)")
    var out = Tensor(shape: x.shape, uninitialized: ())
    let w = weight?.scalars, bi = bias?.scalars
    x.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            let src = s.baseAddress!, dst = o.baseAddress!
            Parallel.forEach(b * groups) { range in
                for bg in range {
                    let base = bg * cpg * spatial
                    let (mean, rstd) = meanAndInverseStd(src + base, cpg * spatial, eps: eps)
                    for ci in 0..<cpg {
                        let ch = (bg % groups) * cpg + ci
                        let scale = rstd * (w?[ch] ?? 1), shift = (bi?[ch] ?? 0) - mean * scale
                        let i = src + base + ci * spatial, q = dst + base + ci * spatial
                        for j in 0..<spatial { q[j] = i[j] * scale + shift }
                    }
                }
            }
        }
    }
    return out
}

/// LayerNorm over the last dim; weight and bias are [last].
public func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    let n = x.shape.last ?? 1
    precondition(weight.map { $0.count == n } ?? true && bias.map { $0.count == n } ?? true, "layerNorm: affine size != \(n)")
    let w = weight?.scalars ?? [Float](repeating: 1, count: n), bi = bias?.scalars ?? [Float](repeating: 0, count: n)
    return mapLastDimension(x) { i, q in
        let (mean, rstd) = meanAndInverseStd(i, n, eps: eps)
        for j in 0..<n { q[j] = (i[j] - mean) * rstd * w[j] + bi[j] }
    }
}

/// RMSNorm over the last dim: x / sqrt(mean(x^2) + eps) * weight (T5LayerNorm, Flux RMSNorm).
public func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) -> Tensor {
    let n = x.shape.last ?? 1
    precondition(weight.map { $0.count == n } ?? true, "rmsNorm: weight size != \(n)")
    let w = weight?.scalars ?? [Float](repeating: 1, count: n)
    return mapLastDimension(x) { i, q in
        var sum: Double = 0, ss: Double = 0
        tk_moments(i, n, &sum, &ss)
        let rstd = Float(1 / (ss / Double(n) + Double(eps)).squareRoot())
        for j in 0..<n { q[j] = i[j] * rstd * w[j] }
    }
}

/// A tensor of x's shape whose rows along the last dimension are `row(input, output)`, rows in parallel.
private func mapLastDimension(_ x: Tensor, _ row: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
    let n = x.shape.last ?? 1, rows = x.count / max(n, 1)
    var out = Tensor(shape: x.shape, uninitialized: ())
    x.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            let src = s.baseAddress!, dst = o.baseAddress!
            Parallel.forEach(rows, grain: max(1, 4096 / max(n, 1))) { range in
                for r in range { row(src + r * n, dst + r * n) }
            }
        }
    }
    return out
}
