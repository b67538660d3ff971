// torch.linalg.solve for the 2x2 / 3x3 float32 systems of UniPC, the way LAPACK's sgesv does it:
// LU with partial pivoting (sgetrf2 scales the column by the pivot's reciprocal), then forward
// and back substitution (sgetrs). torch may call MKL, whose small-matrix kernels can round
// differently in the last bit.

enum SmallLinearSolve {
    /// Solves a x = b for a square, row-major `a`. A singular matrix gives non-finite values, as
    /// LAPACK does (the sampler's finiteness check then stops the run).
    static func solve(_ a: [[Float]], _ b: [Float]) -> [Float] {
        let n = b.count
        var lu = a, x = b
        for k in 0..<n {
            var pivot = k
            for i in (k + 1)..<max(n, k + 1) where abs(lu[i][k]) > abs(lu[pivot][k]) { pivot = i }
            if pivot != k { lu.swapAt(pivot, k); x.swapAt(pivot, k) }
            let reciprocal = 1 / lu[k][k]
            for i in (k + 1)..<max(n, k + 1) {
                lu[i][k] = lu[i][k] * reciprocal
                for j in (k + 1)..<n { lu[i][j] = lu[i][j] - lu[i][k] * lu[k][j] }
            }
        }
        for i in 0..<n {                       // L y = P b (unit diagonal)
            for j in 0..<i { x[i] = x[i] - lu[i][j] * x[j] }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {   // U x = y
            x[i] = x[i] / lu[i][i]
            for j in 0..<i { x[j] = x[j] - x[i] * lu[j][i] }
        }
        return x
    }
}
