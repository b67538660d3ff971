import Foundation
import Testing
import TensorCore
@testable import Checkpoint

/// Oracles: IEEE 754 binary16 via Swift's `Float16` (exhaustive over all 65536 patterns, and
/// round-to-nearest-even on 2^20 floats), the bfloat16 and float8 definitions (values from the
/// OCP FP8 spec: e4m3fn max 448, e5m2 max 57344), and exact equality everywhere.
@Suite struct DTypeTests {
    #if !(os(macOS) && arch(x86_64))
    @Test func halfToFloatMatchesFloat16OnEveryPattern() {
        var mismatches = 0
        for bits in 0...0xFFFF {
            let expected = Float(Float16(bitPattern: UInt16(bits)))
            let actual = FloatBits.halfToFloat(UInt16(bits))
            if !(actual.bitPattern == expected.bitPattern || (actual.isNaN && expected.isNaN)) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func floatToHalfRoundsLikeFloat16() {
        var state: UInt64 = 12345, mismatches = 0
        // Random bit patterns cover NaN/inf/subnormal; the exponent sweep stresses the half range.
        for n in 0..<(1 << 20) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var bits = UInt32(truncatingIfNeeded: state >> 32)
            if n % 2 == 0 { bits = (bits & 0x807F_FFFF) | (UInt32(100 + n % 60) << 23) }   // exponents 2^-27 ... 2^32
            let f = Float(bitPattern: bits)
            let expected = Float16(f).bitPattern
            let actual = FloatBits.floatToHalf(f)
            if actual != expected && !(f.isNaN && actual & 0x7C00 == 0x7C00 && actual & 0x3FF != 0) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(FloatBits.floatToHalf(65520) == 0x7C00)        // halfway above max half -> inf
        #expect(FloatBits.floatToHalf(65519.99) == 0x7BFF)
    }
    #endif

    @Test func bfloatRoundsToNearestEven() {
        #expect(FloatBits.floatToBFloat(1) == 0x3F80)
        #expect(FloatBits.floatToBFloat(Float(bitPattern: 0x3F80_8000)) == 0x3F80)   // tie, even stays
        #expect(FloatBits.floatToBFloat(Float(bitPattern: 0x3F81_8000)) == 0x3F82)   // tie, odd rounds up
        #expect(FloatBits.floatToBFloat(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(FloatBits.bfloatToFloat(0xC040) == -3)
    }

    @Test func float8Values() {
        #expect(FloatBits.e4m3fnToFloat(0x38) == 1)
        #expect(FloatBits.e4m3fnToFloat(0x7E) == 448)
        #expect(FloatBits.e4m3fnToFloat(0xFE) == -448)
        #expect(FloatBits.e4m3fnToFloat(0x01) == 0x1p-9)
        #expect(FloatBits.e4m3fnToFloat(0x7F).isNaN)
        #expect(FloatBits.e4m3fnToFloat(0x78) == 256)
        #expect(FloatBits.e5m2ToFloat(0x3C) == 1)
        #expect(FloatBits.e5m2ToFloat(0x7B) == 57344)
        #expect(FloatBits.e5m2ToFloat(0x7C) == .infinity)
        #expect(FloatBits.e5m2ToFloat(0x01) == 0x1p-16)
    }

    /// Every dtype through a real file: raw little-endian bytes in, Float32 out.
    @Test func readsEveryDTypeAsFloat32() throws {
        func raw<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }
        let cases: [(DType, [UInt8], [Float])] = [
            (.f64, raw([1.5, -2.25] as [Double]), [1.5, -2.25]),
            (.i64, raw([-3, 1 << 40] as [Int64]), [-3, 0x1p40]),
            (.i32, raw([-7, 9] as [Int32]), [-7, 9]),
            (.i16, raw([-300, 300] as [Int16]), [-300, 300]),
            (.i8, raw([-128, 127] as [Int8]), [-128, 127]),
            (.u8, [0, 255], [0, 255]),
            (.bool, [0, 1], [0, 1]),
            (.f8e4m3fn, [0x38, 0xC0], [1, -2]),
            (.f8e5m2, [0x3C, 0xC0], [1, -2]),
            (.f16, raw([0x3C00, 0xC000] as [UInt16]), [1, -2]),
            (.bf16, raw([0x3F80, 0xC000] as [UInt16]), [1, -2]),
            (.f32, raw([1, -2] as [Float]), [1, -2]),
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-dtypes-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensorsWriter.write(cases.map { dtype, bytes, _ in
            SafeTensorsWriter.Item(key: dtype.rawValue, dtype: dtype, shape: [2]) { dst, range in
                bytes.withUnsafeBytes { src in
                    let size = dtype.byteSize
                    dst.copyMemory(from: src.baseAddress! + range.lowerBound * size, byteCount: range.count * size)
                }
            }
        }, to: url)
        let file = try SafeTensorsFile(url: url)
        for (dtype, bytes, expected) in cases {
            #expect(file.info(dtype.rawValue)?.dtype == dtype)
            #expect(try file.tensor(dtype.rawValue).scalars == expected, "\(dtype)")
            try file.withRawBytes(dtype.rawValue) { stored, _ in #expect(Array(stored) == bytes) }
        }
    }

    /// The multi-threaded conversion path (more than one chunk) equals the plain loop.
    @Test func largeConversionMatchesSingleThreadedLoop() {
        let count = Float32Conversion.chunk * 3 + 17
        let halves = (0..<count).map { UInt16(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        var parallel = [Float](repeating: 0, count: count)
        halves.withUnsafeBytes { src in
            parallel.withUnsafeMutableBufferPointer { Float32Conversion.convert(src.baseAddress!, dtype: .f16, count: count, into: $0.baseAddress!) }
        }
        let plain = halves.map(FloatBits.halfToFloat)
        #expect(zip(parallel, plain).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
}
