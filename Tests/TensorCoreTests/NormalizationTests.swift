import Foundation
import Testing
import TestSupport
@testable import TensorCore

/// Oracle: hand-computed statistics, and `Naive.groupNorm` (two-pass Double) on SD shapes.
/// Tolerance: absolute 1e-5 on unit-scale outputs.

@Test func groupNormHandChecked() {
    let x = Tensor(shape: [1, 2, 2, 1], scalars: [1, 2, 3, 4])     // one group: mean 2.5, var 1.25
    let y = groupNorm(x, groups: 1, weight: nil, bias: nil, eps: 0)
    let e: [Float] = [-1.3416408, -0.4472136, 0.4472136, 1.3416408]
    #expect(closeness(y, Tensor(shape: [1, 2, 2, 1], scalars: e), absolute: 1e-6) == nil)
    let affine = groupNorm(x, groups: 2, weight: Tensor(shape: [2], scalars: [2, 3]), bias: Tensor(shape: [2], scalars: [1, 0]), eps: 0)
    #expect(closeness(affine, Tensor(shape: [1, 2, 2, 1], scalars: [-1, 3, -3, 3]), absolute: 1e-5) == nil)
}

@Test(arguments: [[2, 64, 8, 8], [1, 96, 5, 3]])
func groupNormMatchesNaive(_ shape: [Int]) {
    let x = randomTensor(shape, seed: 41, scale: 3) + 0.5
    let w = randomTensor([shape[1]], seed: 42), b = randomTensor([shape[1]], seed: 43)
    let y = groupNorm(x, groups: 32, weight: w, bias: b, eps: 1e-6)
    #expect(closeness(y, Naive.groupNorm(x, groups: 32, w, b, eps: 1e-6), absolute: 1e-5) == nil)
}

@Test func layerNormAndRMSNormHandChecked() {
    let x = Tensor(shape: [2, 2], scalars: [1, 3, -2, 2])
    let ln = layerNorm(x, weight: Tensor(shape: [2], scalars: [1, 2]), bias: Tensor(shape: [2], scalars: [0, 1]), eps: 0)
    #expect(closeness(ln, Tensor(shape: [2, 2], scalars: [-1, 3, -1, 3]), absolute: 1e-6) == nil)
    // rms of [1, 3] is sqrt(5); of [-2, 2] is 2.
    let rms = rmsNorm(x, weight: Tensor(shape: [2], scalars: [1, 10]), eps: 0)
    let r5 = Float(5).squareRoot()
    #expect(closeness(rms, Tensor(shape: [2, 2], scalars: [1 / r5, 30 / r5, -1, 10]), relative: 1e-6) == nil)
}

@Test func layerNormMatchesDefinition() {
    let x = randomTensor([3, 77, 768], seed: 44, scale: 4)
    let y = layerNorm(x, weight: nil, bias: nil, eps: 1e-5)
    let xs = x.scalars, ys = y.scalars
    var worst: Double = 0
    for r in 0..<(3 * 77) {
        let row = xs[(r * 768)..<((r + 1) * 768)].map(Double.init)
        let mean = row.reduce(0, +) / 768, v = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 768
        for j in 0..<768 { worst = max(worst, abs((row[j] - mean) / (v + 1e-5).squareRoot() - Double(ys[r * 768 + j]))) }
    }
    #expect(worst < 1e-5, "max |diff| \(worst)")
}
