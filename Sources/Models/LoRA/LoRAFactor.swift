// Matches ComfyUI 0.8.0 comfy/weight_adapter/{lora,loha,lokr}.py: how each adapter forms its matrices.
import Foundation
import TensorCore

/// One matrix of a LoRA product, as stored: whole, as a low-rank pair `a @ b`, or as a Tucker
/// (CP) pair `einsum('i j k l, j r, i p -> p r k l', core, b, a)` (LoHa `hada_t1`, LoKr `lokr_t2`).
public enum LoRAFactor: Sendable {
    case full(Tensor)
    case product(a: Tensor, b: Tensor)
    case tucker(core: Tensor, a: Tensor, b: Tensor)

    /// The rank that `alpha` is divided by (`b`'s first dimension); nil for a whole matrix.
    var rank: Int? {
        switch self {
        case .full: return nil
        case .product(_, let b), .tucker(_, _, let b): return b.shape.first
        }
    }

    /// The matrix in float32 (a product summed as `LoRAMath.matmul` does).
    func matrix() throws -> Tensor {
        switch self {
        case .full(let m): return m
        case let .product(a, b): return try LoRAMath.matmul(a, b)
        case let .tucker(core, a, b): return try LoRAMath.tucker(core: core, a: a, b: b)
        }
    }
}

/// The small dense products LoRA patching needs. Ranks are tiny (4..128), so plain loops suffice;
/// they round where torch's CPU kernels round, which makes the results bit-identical to ComfyUI's.
enum LoRAMath {
    /// `a.flatten(1) @ b.flatten(1)`: [m, k] x [k, n] -> [m, n], summed over k in order with a fused
    /// multiply-add per step, as torch's CPU sgemm does for these shapes (bit-exact on the fixtures).
    /// The fma is emulated in double: the product of two floats is exact there, so only the rare
    /// double-rounding case can differ from a hardware fma, and the loop vectorises without one.
    static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try matmul(a, b, addedTo: nil, scale: 1)
    }

    /// With `base`: base + scale * (a @ b), each product rounded to float32 before scaling (as torch
    /// forms `lora_diff` first), one row at a time so no full-size difference is ever allocated.
    static func matmul(_ a: Tensor, _ b: Tensor, addedTo base: Tensor?, scale: Float) throws -> Tensor {
        try rowwise([(a, b)], addedTo: base, scale: scale)
    }

    /// base + scale * ((a1 @ b1) * (a2 @ b2)), LoHa's product, row by row.
    static func hadamard(_ a1: Tensor, _ b1: Tensor, _ a2: Tensor, _ b2: Tensor, addedTo base: Tensor,
                         scale: Float) throws -> Tensor {
        try rowwise([(a1, b1), (a2, b2)], addedTo: base, scale: scale)
    }

    /// The element-wise product of the matrix products `pairs`, one output row at a time, optionally
    /// scaled onto `base`.
    static func rowwise(_ pairs: [(Tensor, Tensor)], addedTo base: Tensor?, scale: Float) throws -> Tensor {
        let dims = try pairs.map { a, b -> (m: Int, k: Int, n: Int) in
            let m = a.shape.first ?? 1, k = a.count / max(m, 1), kb = b.shape.first ?? 1, n = b.count / max(kb, 1)
            guard k == kb else { throw LoRAError.shapes("cannot multiply \(a.shape) by \(b.shape)") }
            return (m, k, n)
        }
        let (m, n) = (dims[0].m, dims[0].n)
        guard dims.allSatisfy({ $0.m == m && $0.n == n }) else { throw LoRAError.shapes("products \(dims) differ") }
        if let base, base.count != m * n || base.shape.first != m {
            throw LoRAError.shapes("difference [\(m), \(n)] does not fit weight \(base.shape)")
        }
        var out = Tensor(shape: base?.shape ?? [m, n], uninitialized: ())
        let chunks = min(m, 4 * ProcessInfo.processInfo.activeProcessorCount)
        out.withUnsafeMutableBufferPointer { po in
            let dstBase = po.baseAddress!
            // Rows are independent and each is computed the same way whichever thread runs it.
            DispatchQueue.concurrentPerform(iterations: max(chunks, 1)) { chunk in
                var row = [Float](repeating: 0, count: n), product = [Float](repeating: 1, count: n)
                for i in (chunk * m / chunks)..<((chunk + 1) * m / chunks) {
                    for j in 0..<n { product[j] = 1 }
                    for ((a, b), d) in zip(pairs, dims) {
                        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                            productRow(pa.baseAddress! + i * d.k, pb.baseAddress!, k: d.k, n: n, into: &row)
                        } }
                        for j in 0..<n { product[j] *= row[j] }
                    }
                    let dst = dstBase + i * n
                    if let base {
                        base.withUnsafeBufferPointer { pw in
                            let w = pw.baseAddress! + i * n
                            for j in 0..<n { dst[j] = w[j] + scale * product[j] }
                        }
                    } else {
                        for j in 0..<n { dst[j] = product[j] }
                    }
                }
            }
        }
        return out
    }

    /// row = aRow @ b ([k] x [k, n]), summed over k in order, each step a (double-emulated) fma.
    @inline(__always)
    static func productRow(_ aRow: UnsafePointer<Float>, _ b: UnsafePointer<Float>, k: Int, n: Int,
                           into row: inout [Float]) {
        row.withUnsafeMutableBufferPointer { r in
            for j in 0..<n { r[j] = 0 }
            for t in 0..<k {
                let x = Double(aRow[t])
                let bRow = b + t * n
                for j in 0..<n { r[j] = Float(Double(r[j]) + x * Double(bRow[j])) }
            }
        }
    }

    /// `einsum('i j k l, j r, i p -> p r k l', core, b, a)`: core [R1, R2, kh, kw], b [R2, n], a [R1, m].
    static func tucker(core: Tensor, a: Tensor, b: Tensor) throws -> Tensor {
        guard core.rank == 4, a.rank == 2, b.rank == 2, core.shape[0] == a.shape[0], core.shape[1] == b.shape[0]
        else { throw LoRAError.shapes("Tucker core \(core.shape) does not fit \(a.shape), \(b.shape)") }
        let (r1, r2, s) = (core.shape[0], core.shape[1], core.shape[2] * core.shape[3])
        let (m, n) = (a.shape[1], b.shape[1])
        let c = core.scalars, av = a.scalars, bv = b.scalars
        var out = [Double](repeating: 0, count: m * n * s)
        for i in 0..<r1 {
            // t[r, k] = sum_j core[i, j, k] * b[j, r]
            var t = [Double](repeating: 0, count: n * s)
            for j in 0..<r2 {
                for r in 0..<n {
                    let bj = Double(bv[j * n + r])
                    for k in 0..<s { t[r * s + k] += Double(c[(i * r2 + j) * s + k]) * bj }
                }
            }
            for p in 0..<m {
                let ai = Double(av[i * m + p])
                for q in 0..<(n * s) { out[p * n * s + q] += ai * t[q] }
            }
        }
        return Tensor(shape: [m, n, core.shape[2], core.shape[3]], scalars: out.map { Float($0) })
    }

    /// torch.kron for 2-D or 4-D factors of equal rank.
    static func kron(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        guard x.rank == y.rank, x.rank == 2 || x.rank == 4 else {
            throw LoRAError.shapes("cannot take kron of \(x.shape) and \(y.shape)")
        }
        let x4 = x.rank == 4 ? x.shape : x.shape + [1, 1], y4 = y.rank == 4 ? y.shape : y.shape + [1, 1]
        var out = Tensor(shape: zip(x.shape, y.shape).map { $0 * $1 }, uninitialized: ())
        guard x4[2] == 1 && x4[3] == 1 else { return kronGeneral(x, y, x4, y4, into: out) }
        // x has no spatial extent (LoKr's w1): output row (a, e), column block b is x[a, b] * y[e].
        let (x0, x1, y0, block) = (x4[0], x4[1], y4[0], y4[1] * y4[2] * y4[3])
        x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in out.withUnsafeMutableBufferPointer { po in
            for a in 0..<x0 { for e in 0..<y0 {
                let src = py.baseAddress! + e * block
                for b in 0..<x1 {
                    let v = px[a * x1 + b]
                    let dst = po.baseAddress! + ((a * y0 + e) * x1 + b) * block
                    for j in 0..<block { dst[j] = v * src[j] }
                }
            } }
        } } }
        return out
    }

    /// kron of 4-D factors that both have a spatial extent (rare: LoKr conv with a full 4-D w1).
    static func kronGeneral(_ x: Tensor, _ y: Tensor, _ x4: [Int], _ y4: [Int], into out: Tensor) -> Tensor {
        var out = out
        let xs = x.scalars, ys = y.scalars, o4 = zip(x4, y4).map { $0 * $1 }
        out.withUnsafeMutableBufferPointer { po in
            for a in 0..<x4[0] { for b in 0..<x4[1] { for c in 0..<x4[2] { for d in 0..<x4[3] {
                let xv = xs[((a * x4[1] + b) * x4[2] + c) * x4[3] + d]
                for e in 0..<y4[0] { for f in 0..<y4[1] { for g in 0..<y4[2] { for h in 0..<y4[3] {
                    let yv = ys[((e * y4[1] + f) * y4[2] + g) * y4[3] + h]
                    let (i, j, k, l) = (a * y4[0] + e, b * y4[1] + f, c * y4[2] + g, d * y4[3] + h)
                    po[((i * o4[1] + j) * o4[2] + k) * o4[3] + l] = xv * yv
                }}}}
            }}}}
        }
        return out
    }
}
