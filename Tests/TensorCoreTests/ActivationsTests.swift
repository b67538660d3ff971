import Foundation
import Testing
import TestSupport
@testable import TensorCore

/// Oracle: published values of torch's functions at 1 and -1 (gelu(1) = Φ(1) = 0.8413447460685429),
/// and each formula evaluated in Double over [-8, 8]. Tolerance: absolute 2e-6 (fp32 rounding).

let activationGrid = Tensor(shape: [4001], scalars: (0...4000).map { Float($0) / 250 - 8 })

func expectMatches(_ y: Tensor, _ f: (Double) -> Double) {
    let e = Tensor(shape: y.shape, scalars: activationGrid.scalars.map { Float(f(Double($0))) })
    #expect(closeness(y, e, relative: 2e-6, absolute: 2e-6) == nil)
}

@Test func activationsAtOne() {
    let x = Tensor(shape: [2], scalars: [1, -1])
    #expect(closeness(gelu(x), Tensor(shape: [2], scalars: [0.8413447460685429, -0.15865525393145707]), absolute: 1e-7) == nil)
    #expect(closeness(geluTanh(x), Tensor(shape: [2], scalars: [0.8411919906082768, -0.15880800939172324]), absolute: 1e-7) == nil)
    #expect(closeness(silu(x), Tensor(shape: [2], scalars: [0.7310585786300049, -0.2689414213699951]), absolute: 1e-7) == nil)
    #expect(closeness(sigmoid(x), Tensor(shape: [2], scalars: [0.7310585786300049, 0.2689414213699951]), absolute: 1e-7) == nil)
}

@Test func activationsMatchFormulas() {
    expectMatches(silu(activationGrid)) { $0 / (1 + Foundation.exp(-$0)) }
    expectMatches(sigmoid(activationGrid)) { 1 / (1 + Foundation.exp(-$0)) }
    expectMatches(gelu(activationGrid)) { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
    expectMatches(geluTanh(activationGrid)) { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
    expectMatches(quickGELU(activationGrid)) { $0 / (1 + Foundation.exp(-1.702 * $0)) }
    var inPlace = activationGrid
    siluInPlace(&inPlace)
    #expect(inPlace.scalars == silu(activationGrid).scalars)
    var gelus = activationGrid
    geluInPlace(&gelus)
    #expect(gelus.scalars == gelu(activationGrid).scalars)
    // Tails of the vector loops: lengths that are not multiples of 16 or 8.
    for n in [1, 7, 9, 17, 33] {
        let x = Tensor(shape: [n], scalars: Array(activationGrid.scalars[1000..<(1000 + n)]))
        #expect(gelu(x).scalars == Array(gelu(activationGrid).scalars[1000..<(1000 + n)]))
    }
}

/// Oracle: x/2 erfc(-x/sqrt 2) in Double. Relative 1e-6, no absolute slack: the negative tail keeps
/// its relative accuracy (the kernel is within 6 ulp; an erf with absolute error 1.5e-7, as
/// Abramowitz-Stegun 7.1.26, is 2e-4 off near x = -4). Run under every SWIFTCOMFY_ISA level by
/// scripts/test.sh, so each kernel path meets it.
@Test func geluNegativeTailIsRelativelyAccurate() {
    let x = Tensor(shape: [2401], scalars: (0...2400).map { -Float($0) / 200 })   // 0 ... -12
    let e = Tensor(shape: x.shape, scalars: x.scalars.map { Float(0.5 * Double($0) * Foundation.erfc(-Double($0) / 2.0.squareRoot())) })
    #expect(closeness(gelu(x), e, relative: 1e-6) == nil)
}

@Test func softmaxHandChecked() {
    let y = softmax(Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, -.infinity]))
    let e: [Float] = [0.09003057, 0.24472847, 0.66524096, 0.5, 0.5, 0]
    #expect(closeness(y, Tensor(shape: [2, 3], scalars: e), absolute: 1e-7) == nil)
}
