import Foundation
import Testing
import TestSupport
@testable import TensorCore

/// Oracle: FloatBits, the bit-exact scalar forms (themselves pinned against torch/numpy values in
/// CheckpointTests/DTypeTests). Every kernel at every instruction-set level this CPU has must give
/// the same bits over every input pattern (all 65536 halves and bfloats, all 256 fp8 bytes), at
/// lengths that exercise the vector body and the tail. Exact.
@Suite struct ElementConversionTests {
    static let levels = KernelLevel.allCases.filter { $0 <= KernelLevel.current }

    /// Widens `patterns` (of `T`) at `level` and counts bit differences from `scalar`.
    static func mismatches<T: FixedWidthInteger>(_ patterns: [T], _ type: ElementType, level: KernelLevel,
                                                 scalar: (T) -> Float) -> Int {
        var out = [Float](repeating: 0, count: patterns.count)
        patterns.withUnsafeBytes { src in
            out.withUnsafeMutableBufferPointer { dst in
                // Two calls: an odd-length head (vector body + tail) and the rest.
                let head = min(patterns.count, 37)
                ElementConversion.widenRange(src.baseAddress!, type, 0..<head, scale: 1, into: dst.baseAddress!, level: level)
                ElementConversion.widenRange(src.baseAddress!, type, head..<patterns.count, scale: 1, into: dst.baseAddress!, level: level)
            }
        }
        return zip(patterns, out).filter { scalar($0).bitPattern != $1.bitPattern }.count
    }

    @Test(arguments: levels) func halfWidensLikeTheScalarForm(level: KernelLevel) {
        let all = (0...0xFFFF).map { UInt16($0) }
        #expect(Self.mismatches(all, .float16, level: level, scalar: FloatBits.halfToFloat) == 0)
    }

    @Test(arguments: levels) func bfloatWidensLikeTheScalarForm(level: KernelLevel) {
        let all = (0...0xFFFF).map { UInt16($0) }
        #expect(Self.mismatches(all, .bfloat16, level: level, scalar: FloatBits.bfloatToFloat) == 0)
    }

    @Test(arguments: levels) func float8WidensLikeTheScalarForm(level: KernelLevel) {
        let all = (0..<256).flatMap { _ in (0...0xFF).map { UInt8($0) } }.prefix(256 * 3 + 5)   // several vector blocks
        #expect(Self.mismatches(Array(all), .float8E4M3FN, level: level, scalar: FloatBits.e4m3fnToFloat) == 0)
        #expect(Self.mismatches(Array(all), .float8E5M2, level: level, scalar: FloatBits.e5m2ToFloat) == 0)
    }

    /// Rounding to fp16: every half's value, the midpoints between neighbours (ties to even), their
    /// float neighbours, and random bit patterns (NaN, infinities, subnormals, overflow).
    @Test(arguments: levels) func roundingToHalfMatchesTheScalarForm(level: KernelLevel) {
        var inputs: [Float] = []
        for h in 0..<0x7C00 {
            let a = FloatBits.halfToFloat(UInt16(h)), b = FloatBits.halfToFloat(UInt16(h + 1))
            let mid = (a + b) / 2
            for v in [a, mid, mid.nextDown, mid.nextUp] { inputs += [v, -v] }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            inputs.append(Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32)))
        }
        var out = [UInt16](repeating: 0, count: inputs.count)
        inputs.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { ElementConversion.roundToHalf(src.baseAddress!, count: src.count, into: $0.baseAddress!, level: level) }
        }
        let bad = zip(inputs, out).filter { FloatBits.floatToHalf($0) != $1 }
        #expect(bad.isEmpty, "\(bad.count) differ, first \(bad.first.map { "\($0.0.bitPattern) -> \($0.1)" } ?? "")")
    }

    @Test func scaledWideningMultipliesEachElement() {
        let bytes: [UInt8] = [0x38, 0xB8, 0x40, 0x00]      // e4m3fn 1, -1, 2, 0
        var out = [Float](repeating: 0, count: 4)
        bytes.withUnsafeBytes { src in
            out.withUnsafeMutableBufferPointer {
                ElementConversion.widen(src.baseAddress!, .float8E4M3FN, count: 4, scale: 0.5, into: $0.baseAddress!)
            }
        }
        #expect(out == [0.5, -0.5, 1, 0])
    }
}

/// A weight held as fp16 bits, as a checkpoint's stored tensor holds it (TensorCore's seam).
struct HalfWeight: WeightMatrix {
    let shape: [Int]
    let bits: [UInt16]

    init(_ t: Tensor) {
        shape = t.shape
        bits = t.scalars.map(FloatBits.floatToHalf)
    }

    func withElements<R>(_ body: (WeightElements) throws -> R) rethrows -> R {
        try bits.withUnsafeBytes { try body(WeightElements(type: .float16, base: $0.baseAddress!, count: bits.count)) }
    }
}

/// Oracle: the same op on the weight widened to a Float32 tensor first. Linear and conv2d with a
/// fp16 weight, small (widened whole) and large (widened in panels of output rows, including a
/// last partial panel). Relative 1e-5 plus absolute 2e-6 sqrt(K) for sums of K products of values in
/// [-1, 1]: the panels' GEMMs may block the sums differently (fp32 reordering, measured 2.5e-5 at
/// K = 7200 on a result that cancels to 0.17).
@Suite struct StoredWeightOpsTests {
    static func values(_ shape: [Int], seed: Int) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { Float((($0 &* 2_654_435_761 &+ seed) >> 7) % 2001) / 1000 - 1 })
    }

    @Test(arguments: [(48, 40), (1_100, 1_000)])
    func linearWithHalfWeightEqualsWidenedWeight(outF: Int, inF: Int) {
        let w = HalfWeight(Self.values([outF, inF], seed: 1))
        let x = Self.values([3, 5, inF], seed: 2), bias = Self.values([outF], seed: 3)
        let expected = linear(x, weight: w.float32(), bias: bias), absolute = 2e-6 * Float(inF).squareRoot()
        #expect(closeness(linear(x, weight: w, bias: bias), expected, relative: 1e-5, absolute: absolute) == nil)
        #expect(closeness(linear(x, weight: w, bias: nil), linear(x, weight: w.float32(), bias: nil),
                          relative: 1e-5, absolute: absolute) == nil)
    }

    @Test(arguments: [(16, 8, 3, 1), (150, 800, 3, 1), (1_200, 1_000, 1, 0)])
    func conv2dWithHalfWeightEqualsWidenedWeight(cout: Int, cin: Int, kernel: Int, padding: Int) {
        let w = HalfWeight(Self.values([cout, cin, kernel, kernel], seed: 4))
        let x = Self.values([2, cin, 6, 5], seed: 5), bias = Self.values([cout], seed: 6)
        let expected = conv2d(x, weight: w.float32(), bias: bias, stride: 1, padding: padding)
        let absolute = 2e-6 * Float(cin * kernel * kernel).squareRoot()
        #expect(closeness(conv2d(x, weight: w, bias: bias, stride: 1, padding: padding), expected,
                          relative: 1e-5, absolute: absolute) == nil)
    }

    /// The direct 3x3 kernel (rows of 32+ pixels) widens the weight whole.
    @Test func directConvWithHalfWeightEqualsWidenedWeight() {
        let w = HalfWeight(Self.values([8, 4, 3, 3], seed: 7))
        let x = Self.values([1, 4, 5, 40], seed: 8), bias = Self.values([8], seed: 9)
        let expected = conv2d(x, weight: w.float32(), bias: bias, stride: 1, padding: 1)
        #expect(closeness(conv2d(x, weight: w, bias: bias, stride: 1, padding: 1), expected, relative: 1e-5) == nil)
    }
}
