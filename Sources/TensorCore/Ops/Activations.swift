import Foundation
import TensorKernels

/// Activations, with the formulas PyTorch uses (ComfyUI 0.8.0 calls the torch functions):
/// sigmoid, SiLU = x sigmoid(x), quick-GELU = x sigmoid(1.702 x) (CLIP), GELU = x/2 (1 + erf(x/sqrt 2)),
/// tanh-GELU, softmax. The exp-based ones run in TensorKernels' vector loops.

/// F.gelu (approximate="tanh"): x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
@inlinable func geluTanhScalar(_ x: Float) -> Float {
    0.5 * x * (1 + tanhf(0.79788456080286536 * (x + 0.044715 * x * x * x)))
}

public func sigmoid(_ x: Tensor) -> Tensor { mapKernel(x) { tk_sigmoid($0, $1, $2) } }
public func silu(_ x: Tensor) -> Tensor { mapKernel(x) { tk_x_sigmoid($0, $1, $2, 1) } }
public func gelu(_ x: Tensor) -> Tensor { mapKernel(x) { tk_gelu($0, $1, $2) } }
public func geluTanh(_ x: Tensor) -> Tensor { mapElements(x, geluTanhScalar) }
public func quickGELU(_ x: Tensor) -> Tensor { mapKernel(x) { tk_x_sigmoid($0, $1, $2, 1.702) } }

public func siluInPlace(_ x: inout Tensor) { mapKernelInPlace(&x) { tk_x_sigmoid($0, $1, $2, 1) } }
public func geluInPlace(_ x: inout Tensor) { mapKernelInPlace(&x) { tk_gelu($0, $1, $2) } }
public func geluTanhInPlace(_ x: inout Tensor) { mapElementsInPlace(&x, geluTanhScalar) }
public func quickGELUInPlace(_ x: inout Tensor) { mapKernelInPlace(&x) { tk_x_sigmoid($0, $1, $2, 1.702) } }

/// A TensorKernels loop `(x, y, n)` over all elements, split across cores.
func mapKernel(_ x: Tensor, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
    var out = Tensor(shape: x.shape, uninitialized: ())
    x.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            let src = s.baseAddress!, dst = o.baseAddress!
            Parallel.forEach(x.count, grain: Parallel.elementGrain) { r in kernel(src + r.lowerBound, dst + r.lowerBound, r.count) }
        }
    }
    return out
}

func mapKernelInPlace(_ x: inout Tensor, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) {
    let n = x.count
    x.withUnsafeMutableBufferPointer { b in
        let p = b.baseAddress!
        Parallel.forEach(n, grain: Parallel.elementGrain) { r in kernel(p + r.lowerBound, p + r.lowerBound, r.count) }
    }
}

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

/// In-place softmax(scale * row) of one contiguous row. A row of only -inf becomes zeros (torch
/// gives NaN there; no ComfyUI mask masks a whole row).
func softmaxRow(_ p: UnsafeMutablePointer<Float>, _ n: Int, scale: Float) {
    let sum = tk_softmax_numerators(p, nil, n, scale)
    let inv: Float = sum > 0 ? 1 / sum : 0
    for j in 0..<n { p[j] *= inv }
}
