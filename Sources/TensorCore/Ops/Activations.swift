import Foundation

/// Activations, with the formulas PyTorch uses (ComfyUI 0.8.0 calls the torch functions).

@inlinable func sigmoidScalar(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
@inlinable func siluScalar(_ x: Float) -> Float { x / (1 + Foundation.exp(-x)) }
/// F.gelu (approximate="none"): x/2 (1 + erf(x/sqrt 2)).
@inlinable func geluScalar(_ x: Float) -> Float { 0.5 * x * (1 + erff(x * 0.70710678118654752)) }
/// F.gelu (approximate="tanh"): x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
@inlinable func geluTanhScalar(_ x: Float) -> Float {
    0.5 * x * (1 + tanhf(0.79788456080286536 * (x + 0.044715 * x * x * x)))
}
/// CLIP's quick_gelu: x * sigmoid(1.702 x).
@inlinable func quickGELUScalar(_ x: Float) -> Float { x / (1 + Foundation.exp(-1.702 * x)) }

public func sigmoid(_ x: Tensor) -> Tensor { mapElements(x, sigmoidScalar) }
public func silu(_ x: Tensor) -> Tensor { mapElements(x, siluScalar) }
public func gelu(_ x: Tensor) -> Tensor { mapElements(x, geluScalar) }
public func geluTanh(_ x: Tensor) -> Tensor { mapElements(x, geluTanhScalar) }
public func quickGELU(_ x: Tensor) -> Tensor { mapElements(x, quickGELUScalar) }

public func siluInPlace(_ x: inout Tensor) { mapElementsInPlace(&x, siluScalar) }
public func geluInPlace(_ x: inout Tensor) { mapElementsInPlace(&x, geluScalar) }
public func geluTanhInPlace(_ x: inout Tensor) { mapElementsInPlace(&x, geluTanhScalar) }
public func quickGELUInPlace(_ x: inout Tensor) { mapElementsInPlace(&x, quickGELUScalar) }

/// softmax over the last dim.
public func softmax(_ x: Tensor) -> Tensor {
    var out = x
    softmaxInPlace(&out)
    return out
}

public func softmaxInPlace(_ x: inout Tensor) {
    precondition(x.rank >= 1, "softmax of a scalar")
    let n = x.shape[x.rank - 1], rows = x.count / max(n, 1)
    guard n > 0 else { return }
    x.withUnsafeMutableBufferPointer { b in
        let p = b.baseAddress!
        Parallel.forEach(rows, grain: max(1, Parallel.elementGrain / n)) { r in
            for row in r { softmaxRow(p + row * n, n, scale: 1) }
        }
    }
}

/// In-place softmax(scale * row) of one contiguous row.
@inlinable
func softmaxRow(_ p: UnsafeMutablePointer<Float>, _ n: Int, scale: Float) {
    var m = -Float.infinity
    for j in 0..<n { m = max(m, p[j]) }
    if m == -.infinity {            // every entry masked: torch gives NaN; keep it finite as zeros
        p.update(repeating: 0, count: n)
        return
    }
    var sum: Float = 0
    for j in 0..<n {
        let e = Foundation.exp((p[j] - m) * scale)
        p[j] = e
        sum += e
    }
    let inv = 1 / sum
    for j in 0..<n { p[j] *= inv }
}
