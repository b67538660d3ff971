import Foundation
import Testing
import TestSupport
@testable import TensorCore

/// Oracle: the formulas of ComfyUI 0.8.0 util.py timestep_embedding and flux/math.py rope /
/// apply_rope1, evaluated by hand for small sizes. Tolerance: absolute 1e-6.

@Test func timestepEmbeddingHandChecked() {
    // dim 4: half 2, freqs [1, exp(-ln(10000) / 2) = 0.01]; cos half first.
    let y = timestepEmbedding(Tensor(shape: [2], scalars: [0, 1]), dim: 4)
    let e: [Float] = [1, 1, 0, 0, Float(cos(1.0)), Float(cos(0.01)), Float(sin(1.0)), Float(sin(0.01))]
    #expect(closeness(y, Tensor(shape: [2, 4], scalars: e), absolute: 1e-6) == nil)
    let odd = timestepEmbedding(Tensor(shape: [1], scalars: [1]), dim: 5, flipSinToCos: false)
    #expect(closeness(odd, Tensor(shape: [1, 5], scalars: [Float(sin(1.0)), Float(sin(0.01)), Float(cos(1.0)), Float(cos(0.01)), 0]), absolute: 1e-6) == nil)
}

@Test func ropeHandChecked() {
    // dim 4, theta 10000: scale linspace(0, 0.5, 2) -> omega [1, 0.01].
    let f = rope(Tensor(shape: [1, 2], scalars: [0, 2]), dim: 4, theta: 10000)
    #expect(f.shape == [1, 2, 2, 2, 2])
    let (c2, s2, c02, s02) = (Float(cos(2.0)), Float(sin(2.0)), Float(cos(0.02)), Float(sin(0.02)))
    let e: [Float] = [1, 0, 0, 1, 1, 0, 0, 1, c2, -s2, s2, c2, c02, -s02, s02, c02].map { $0 == 0 ? 0 : $0 }
    #expect(closeness(f, Tensor(shape: [1, 2, 2, 2, 2], scalars: e), absolute: 1e-6) == nil)
    // Rotating (1, 0) by angle 2 gives (cos 2, sin 2); heads share the frequencies.
    let x = Tensor(shape: [1, 2, 2, 4], scalars: [1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1])
    let y = applyRope(x, freqs: f.reshaped(1, 1, 2, 2, 2, 2))
    let row1: [Float] = [c2, s2, -s02, c02]
    let ey = [1, 0, 1, 0] + row1 + [1, 0, 1, 0] + row1
    #expect(closeness(y, Tensor(shape: [1, 2, 2, 4], scalars: ey), absolute: 1e-6) == nil)
}
