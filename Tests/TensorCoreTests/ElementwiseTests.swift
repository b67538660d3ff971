import Testing
import TestSupport
@testable import TensorCore

/// Oracle: hand-written results and an index-by-index loop over the broadcast shape. Exact (each
/// result is one fp32 operation on the same operands).

@Test func broadcastingHandChecked() {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect((a + Tensor(shape: [3], scalars: [10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
    #expect((a * Tensor(shape: [2, 1], scalars: [2, 3])).scalars == [2, 4, 6, 12, 15, 18])
    #expect((a - 1).scalars == [0, 1, 2, 3, 4, 5])
    #expect((12 / a).scalars == [12, 6, 4, 3, 2.4, 2])
    let outer = Tensor(shape: [2, 1], scalars: [1, 2]) * Tensor(shape: [1, 3], scalars: [1, 10, 100])
    #expect(outer.shape == [2, 3] && outer.scalars == [1, 10, 100, 2, 20, 200])
    var b = a
    b += Tensor(shape: [1], scalars: [1])
    b *= 2
    #expect(b.scalars == [4, 6, 8, 10, 12, 14])
    #expect(a.scalars == [1, 2, 3, 4, 5, 6])
    #expect(clamp(a, min: 2, max: 4).scalars == [2, 2, 3, 4, 4, 4])
    #expect(broadcastShape([2, 3], [4]) == nil)
}

@Test(arguments: [([2, 320, 8, 8], [1, 320, 1, 1]), ([2, 4, 6], [4, 1]), ([3, 1, 5], [1, 4, 1]),
                  ([2, 3, 4, 5], [3, 1, 5]), ([70000], [1])])
func broadcastingMatchesLoop(_ shapes: ([Int], [Int])) {
    let (sa, sb) = shapes
    let a = randomTensor(sa, seed: 51), b = randomTensor(sb, seed: 52)
    let y = a - b
    let shape = broadcastShape(sa, sb)!
    #expect(y.shape == shape)
    let av = a.scalars, bv = b.scalars, yv = y.scalars
    func index(_ idx: [Int], in s: [Int]) -> Int {
        let off = idx.count - s.count
        return s.indices.reduce(0) { $0 * s[$1] + (s[$1] == 1 ? 0 : idx[$1 + off]) }
    }
    var bad = 0
    for flat in 0..<y.count {
        var rem = flat, idx = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) { idx[d] = rem % shape[d]; rem /= shape[d] }
        if yv[flat] != av[index(idx, in: sa)] - bv[index(idx, in: sb)] { bad += 1 }
    }
    #expect(bad == 0)
}
