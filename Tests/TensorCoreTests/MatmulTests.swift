import Testing
import TestSupport
@testable import TensorCore

/// Oracle: hand-computed products, and `Naive.matmul` (Double accumulation) for larger shapes.
/// Tolerance: relative 1e-5 + absolute 1e-5 · K (fp32 sgemm vs Double; inputs in [-1, 1)).

@Test func linearHandChecked() {
    let x = Tensor(shape: [1, 2], scalars: [1, 2])
    let w = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])          // [out, in]
    let y = linear(x, weight: w, bias: Tensor(shape: [3], scalars: [10, 20, 30]))
    #expect(y.shape == [1, 3])
    #expect(y.scalars == [11, 22, 33])
    #expect(linear(x, weight: w, bias: nil).scalars == [1, 2, 3])
}

@Test(arguments: [[3, 77, 768, 320], [1, 5, 7, 3], [2, 64, 320, 1280]])
func linearMatchesNaive(_ dims: [Int]) {
    let (b, n, inF, outF) = (dims[0], dims[1], dims[2], dims[3])
    let x = randomTensor([b, n, inF], seed: 1), w = randomTensor([outF, inF], seed: 2), bias = randomTensor([outF], seed: 3)
    let y = linear(x, weight: w, bias: bias)
    let expected = zip(Naive.matmul(x.scalars, transposed(w).scalars, m: b * n, n: outF, k: inF),
                       Array(repeating: bias.scalars, count: b * n).flatMap { $0 }).map { $0 + $1 }
    #expect(closeness(y, Tensor(shape: [b, n, outF], scalars: expected), relative: 1e-5, absolute: 1e-5 * Float(inF)) == nil)
}

@Test func matmulHandChecked() {
    let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), b = Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])
    #expect(matmul(a, b).scalars == [19, 22, 43, 50])
    #expect(matmul(a, b, transposeA: true).scalars == [26, 30, 38, 44])
    #expect(matmul(a, b, transposeB: true).scalars == [17, 23, 39, 53])
}

@Test func batchedMatmulMatchesNaive() {
    let a = randomTensor([2, 3, 17, 9], seed: 4), b = randomTensor([2, 3, 9, 11], seed: 5)
    let y = matmul(a, b)
    #expect(y.shape == [2, 3, 17, 11])
    for i in 0..<6 {
        let ai = a.reshaped(6, 17, 9).batch(i).scalars, bi = b.reshaped(6, 9, 11).batch(i).scalars
        let e = Tensor(shape: [17, 11], scalars: Naive.matmul(ai, bi, m: 17, n: 11, k: 9))
        #expect(closeness(y.reshaped(6, 17, 11).batch(i).reshaped(17, 11), e, relative: 1e-5, absolute: 1e-4) == nil)
    }
    // b rank 2 broadcasts over a's batch, with and without transposes.
    let w = randomTensor([11, 9], seed: 6)
    let yt = matmul(a, w, transposeB: true)
    let yb = matmul(a, transposed(w))
    #expect(yt.shape == [2, 3, 17, 11] && closeness(yt, yb, absolute: 1e-5) == nil)
    let at = matmul(permuted(a, [0, 1, 3, 2]), b, transposeA: true)
    #expect(closeness(at, y, absolute: 1e-5) == nil)
}
