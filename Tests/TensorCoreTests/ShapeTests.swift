import Testing
import TestSupport
@testable import TensorCore

/// Oracle: hand-written index arithmetic (each result is a copy, so exact equality).

@Test func concatAndSplitRoundTrip() {
    let a = Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4]), b = Tensor(shape: [2, 2, 2], scalars: [5, 6, 7, 8, 9, 10, 11, 12])
    let c = concat([a, b], axis: 1)
    #expect(c.shape == [2, 3, 2] && c.scalars == [1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12])
    let parts = split(c, sizes: [1, 2], axis: 1)
    #expect(parts[0].scalars == a.scalars && parts[1].scalars == b.scalars)
    #expect(concat([a, a], axis: -1).scalars == [1, 2, 1, 2, 3, 4, 3, 4])
    let pieces = chunk(Tensor(shape: [5], scalars: [1, 2, 3, 4, 5]), parts: 2, axis: 0)   // torch: sizes 3, 2
    #expect(pieces.map(\.scalars) == [[1, 2, 3], [4, 5]])
}

@Test func permutedMatchesIndexing() {
    let x = randomTensor([2, 3, 4, 5], seed: 61)
    let y = permuted(x, [2, 0, 3, 1])
    #expect(y.shape == [4, 2, 5, 3])
    var bad = 0
    for a in 0..<2 { for b in 0..<3 { for c in 0..<4 { for d in 0..<5 where y[c, a, d, b] != x[a, b, c, d] { bad += 1 } } } }
    #expect(bad == 0)
    #expect(transposed(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])).scalars == [1, 4, 2, 5, 3, 6])
}

@Test func upsampleNearest2xHandChecked() {
    let y = upsampleNearest2x(Tensor(shape: [1, 2, 1, 2], scalars: [1, 2, 3, 4]))
    #expect(y.shape == [1, 2, 2, 4])
    #expect(y.scalars == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
}
