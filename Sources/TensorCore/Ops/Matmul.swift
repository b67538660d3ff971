import COpenBLAS
import Dispatch

/// Matrix products through OpenBLAS `cblas_sgemm` (row-major). OpenBLAS runs single-threaded
/// (`BLASRuntime.configure` sets it); `parallelSgemm` splits a product over the cores itself, so
/// BLAS work and TensorCore's other loops share one thread pool and never oversubscribe the cores.

/// C[m, n] = alpha * op(A)[m, k] * op(B)[k, n] + beta * C, row-major with leading dimensions.
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0 && n > 0 else { return }
    _ = BLASRuntime.configure()
    if k == 0 {                         // BLAS scales C by beta; make the empty sum explicit
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
        return
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc))
}

/// Products smaller than this many multiply-adds run on the calling thread.
let parallelGemmThreshold = 1 << 22

/// `sgemm` split into column (or row) blocks computed in parallel.
func parallelSgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                   a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                   beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    let parts = Parallel.coreCount
    guard parts > 1 && m * n * k >= parallelGemmThreshold && max(m, n) >= 2 * 16 else {
        sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
              beta: beta, c: c, ldc: ldc)
        return
    }
    let splitN = n >= m
    let total = splitN ? n : m
    let blocks = min(parts, total / 16)
    Parallel.concurrentPerform(iterations: blocks) { p in
        // Block edges on multiples of 16 keep each block's columns aligned for the kernels.
        let lo = (total * p / blocks) & ~15, hi = p == blocks - 1 ? total : (total * (p + 1) / blocks) & ~15
        guard lo < hi else { return }
        if splitN {
            sgemm(transA: transA, transB: transB, m: m, n: hi - lo, k: k, alpha: alpha, a: a, lda: lda,
                  b: transB ? b + lo * ldb : b + lo, ldb: ldb, beta: beta, c: c + lo, ldc: ldc)
        } else {
            sgemm(transA: transA, transB: transB, m: hi - lo, n: n, k: k, alpha: alpha,
                  a: transA ? a + lo : a + lo * lda, lda: lda, b: b, ldb: ldb, beta: beta, c: c + lo * ldc, ldc: ldc)
        }
    }
}

/// nn.Linear: x [..., in], weight [out, in] (PyTorch layout, any stored element type), bias [out]
/// -> [..., out]. A large weight not stored as Float32 is widened in panels of output rows, each
/// multiplied into its columns of the output (ldc = out), so it is never held as Float32 whole.
public func linear(_ x: Tensor, weight: some WeightMatrix, bias: Tensor?) -> Tensor {
    let wShape = weight.shape
    precondition(wShape.count == 2 && x.shape.last == wShape[1],
                 "linear: input \(x.shape) does not fit weight \(wShape)")
    let outF = wShape[0], inF = wShape[1], rows = x.count / max(inF, 1)
    precondition(bias.map { $0.count == outF } ?? true, "linear: bias \(bias!.shape) for \(outF) outputs")
    var shape = x.shape
    shape[shape.count - 1] = outF
    var out = Tensor(shape: shape, uninitialized: ())
    out.withUnsafeMutableBufferPointer { o in
        let c = o.baseAddress!
        if let bias {
            bias.withUnsafeBufferPointer { bp in
                for r in 0..<rows { (c + r * outF).update(from: bp.baseAddress!, count: outF) }
            }
        }
        let beta: Float = bias == nil ? 0 : 1
        x.withUnsafeBufferPointer { xp in
            weight.withElements { w in
                guard WeightRows.isPanelled(w) else {
                    WeightRows.withAll(w) { wp in
                        parallelSgemm(transB: true, m: rows, n: outF, k: inF, a: xp.baseAddress!, lda: inF,
                                      b: wp, ldb: inF, beta: beta, c: c, ldc: outF)
                    }
                    return
                }
                WeightRows.forEachPanel(w, rows: outF, rowLength: inF) { panel, wp in
                    sgemm(transB: true, m: rows, n: panel.count, k: inF, a: xp.baseAddress!, lda: inF,
                          b: wp, ldb: inF, beta: beta, c: c + panel.lowerBound, ldc: outF)
                }
            }
        }
    }
    return out
}

/// Batched matrix product: a [..., M, K] (or [..., K, M] with transposeA), b [..., K, N] (or
/// [..., N, K] with transposeB) -> [..., M, N]. Leading dims must match, or either side is 2-D
/// (broadcast over the other's batch).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank >= 2 && b.rank >= 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
    let am = a.shape[a.rank - 2], ak = a.shape[a.rank - 1], bk = b.shape[b.rank - 2], bn = b.shape[b.rank - 1]
    let (m, k) = transposeA ? (ak, am) : (am, ak)
    let (kb, n) = transposeB ? (bn, bk) : (bk, bn)
    precondition(k == kb, "matmul: inner dims differ in \(a.shape) x \(b.shape)")
    let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
    precondition(aBatch == bBatch || a.rank == 2 || b.rank == 2, "matmul: batch dims \(aBatch) vs \(bBatch)")
    let batchShape = aBatch.count >= bBatch.count ? aBatch : bBatch
    let batch = batchShape.reduce(1, *)
    var out = Tensor(shape: batchShape + [m, n], uninitialized: ())
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            out.withUnsafeMutableBufferPointer { op in
                let aStride = a.rank == 2 ? 0 : m * k, bStride = b.rank == 2 ? 0 : k * n
                if bStride == 0 && !transposeA {    // one tall product: fold the batch into M
                    parallelSgemm(transB: transposeB, m: batch * m, n: n, k: k, a: ap.baseAddress!, lda: ak,
                          b: bp.baseAddress!, ldb: bn, c: op.baseAddress!, ldc: n)
                    return
                }
                for i in 0..<batch {
                    parallelSgemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                          a: ap.baseAddress! + i * aStride, lda: ak, b: bp.baseAddress! + i * bStride, ldb: bn,
                          c: op.baseAddress! + i * m * n, ldc: n)
                }
            }
        }
    }
    return out
}
