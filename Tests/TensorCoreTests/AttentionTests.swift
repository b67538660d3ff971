import Testing
import TestSupport
@testable import TensorCore

/// Oracle: a hand-checked two-token case and `Naive.attention` (Double softmax from the definition).
/// Tolerance: absolute 1e-5 (outputs are convex combinations of values in [-1, 1)).

@Test func attentionHandChecked() {
    // One head, D = 1: q = [0] gives equal weights, so the output is the mean of v.
    let q = Tensor(shape: [1, 1, 1], scalars: [0]), k = Tensor(shape: [1, 2, 1], scalars: [1, -1])
    let v = Tensor(shape: [1, 2, 1], scalars: [2, 4])
    #expect(attention(q: q, k: k, v: v, heads: 1).scalars == [3])
    // A mask of -inf on the second key leaves only the first value.
    let mask = Tensor(shape: [1, 2], scalars: [0, -.infinity])
    #expect(attention(q: q, k: k, v: v, heads: 1, mask: mask).scalars == [2])
}

@Test func attentionMatchesNaive() {
    let q = randomTensor([2, 9, 24], seed: 21), k = randomTensor([2, 13, 24], seed: 22, scale: 2)
    let v = randomTensor([2, 13, 24], seed: 23)
    let y = attention(q: q, k: k, v: v, heads: 3)
    #expect(closeness(y, Naive.attention(q, k, v, heads: 3), absolute: 1e-5) == nil)
}

/// CLIP's causal mask ([Nq, Nk], -inf above the diagonal) and a per-batch, per-head 4-D mask.
@Test func attentionWithMasks() {
    let x = randomTensor([2, 7, 16], seed: 24, scale: 2)
    var causal = Tensor(shape: [7, 7], repeating: 0)
    for i in 0..<7 { for j in (i + 1)..<7 { causal[i, j] = -.infinity } }
    let y = attention(q: x, k: x, v: x, heads: 2, mask: causal)
    #expect(closeness(y, Naive.attention(x, x, x, heads: 2) { _, _, i, j in j > i ? -.infinity : 0 }, absolute: 1e-5) == nil)
    let m4 = randomTensor([2, 2, 1, 7], seed: 25)
    let y4 = attention(q: x, k: x, v: x, heads: 2, mask: m4)
    #expect(closeness(y4, Naive.attention(x, x, x, heads: 2) { b, h, _, j in m4[b, h, 0, j] }, absolute: 1e-5) == nil)
}

/// Both paths (fused AVX-512 kernel where the CPU has one, and sgemm), at SD1.5's head sizes
/// (40, 80, 160) and the VAE's (512), with token counts that are not multiples of any tile.
@Test(arguments: [40, 80, 160, 512])
func attentionPathsMatchNaive(_ d: Int) {
    let q = randomTensor([1, 37, 2 * d], seed: 32), k = randomTensor([1, 77, 2 * d], seed: 33), v = randomTensor([1, 77, 2 * d], seed: 34)
    let mask = randomTensor([1, 2, 37, 77], seed: 35, scale: 3)
    let masked = Naive.attention(q, k, v, heads: 2) { _, h, i, j in mask[0, h, i, j] }
    let plain = Naive.attention(q, k, v, heads: 2)
    for fused in [true, false] {          // fused: the lanes kernel without a mask, the rows kernel with one
        let y = attention(q: q, k: k, v: v, heads: 2, mask: mask, fused: fused)
        #expect(closeness(y, masked, absolute: 1e-5) == nil, "fused: \(fused), masked")
        let y0 = attention(q: q, k: k, v: v, heads: 2, mask: nil, fused: fused)
        #expect(closeness(y0, plain, absolute: 1e-5) == nil, "fused: \(fused), no mask")
    }
}

/// More queries than one score band holds: bands must cover every query exactly once.
@Test func attentionAcrossBands() {
    let nk = 600, nq = attentionScoreBudget / nk + 5
    let q = randomTensor([1, nq, 8], seed: 26), k = randomTensor([1, nk, 8], seed: 27), v = randomTensor([1, nk, 8], seed: 28)
    for fused in [true, false] {
        let y = attention(q: q, k: k, v: v, heads: 1, mask: nil, fused: fused)
        let tail = slice(y, axis: 1, (nq - 8)..<nq)
        let e = Naive.attention(slice(q, axis: 1, (nq - 8)..<nq), k, v, heads: 1)
        #expect(closeness(tail, e, absolute: 1e-5) == nil, "fused: \(fused)")
    }
}

@Test func attentionHeadsFirstMatchesTokenLayout() {
    let q = randomTensor([2, 5, 12], seed: 29), k = randomTensor([2, 6, 12], seed: 30), v = randomTensor([2, 6, 12], seed: 31)
    let split = { (t: Tensor) in permuted(t.reshaped(t.shape[0], t.shape[1], 3, 4), [0, 2, 1, 3]) }
    let y = attentionHeadsFirst(q: split(q), k: split(k), v: split(v))
    #expect(closeness(y, Naive.attention(q, k, v, heads: 3), absolute: 1e-5) == nil)
}
