import Foundation
import Testing
@testable import TensorCore

/// Oracle: scripts/reference/fp8_stochastic_rounding.json, ComfyUI 0.8.0's comfy/float.py
/// stochastic_rounding run by real torch on the CPU (the script beside it): fp8 bytes for every
/// fp16 bit pattern as input (hashed) and for 256 float32 values, seeded as ComfyUI seeds a key;
/// torch.rand float16 values of a seeded generator. Exact.
@Suite struct StochasticRoundingTests {
    static let reference: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/reference/fp8_stochastic_rounding.json")
        return (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any] ?? [:]
    }()

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = [], chars = Array(hex.utf8)
        while chars.count >= 2 {
            out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) ?? 0)
            chars.removeFirst(2)
        }
        return out
    }

    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func rounded(_ values: [Float], _ type: ElementType, seed: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { StochasticRounding.roundToFloat8(v.baseAddress!, count: v.count, to: type, seed: seed, into: $0.baseAddress!) }
        }
        return out
    }

    @Test func torchRandFloat16IsTheRoundedFloat32Draw() throws {
        let expected = try #require(Self.reference["rand_float16_seed_1234"] as? [Double]).map(Float.init)
        var random = MersenneTwister(seed: 1234)
        let ours = (0..<expected.count).map { _ in StochasticRounding.randHalf(&random) }
        #expect(ours == expected)
    }

    @Test(arguments: [("float8_e4m3fn", ElementType.float8E4M3FN), ("float8_e5m2", .float8E5M2)])
    func everyHalfInputMatchesComfyUI(name: String, type: ElementType) throws {
        let entry = try #require(Self.reference[name] as? [String: String])
        let seed = try #require(Self.reference["seed"] as? Int)
        let every = (0...0xFFFF).map { FloatBits.halfToFloat(UInt16($0)) }
        let ours = Self.rounded(every, type, seed: UInt64(seed))
        let first = Self.bytes(hex: try #require(entry["every_half_first_128"]))
        #expect(Array(ours.prefix(first.count)) == first)
        #expect(Self.fnv1a64(ours) == entry["every_half_fnv1a64"])
    }

    @Test(arguments: [("float8_e4m3fn", ElementType.float8E4M3FN), ("float8_e5m2", .float8E5M2)])
    func float32ValuesMatchComfyUI(name: String, type: ElementType) throws {
        let entry = try #require(Self.reference[name] as? [String: String])
        let seed = try #require(Self.reference["seed"] as? Int)
        let raw = Self.bytes(hex: try #require(Self.reference["normal_values_float32_hex"] as? String))
        let values = stride(from: 0, to: raw.count, by: 4).map { i in
            Float(bitPattern: UInt32(raw[i]) | UInt32(raw[i + 1]) << 8 | UInt32(raw[i + 2]) << 16 | UInt32(raw[i + 3]) << 24)
        }
        let expected = Self.bytes(hex: try #require(entry["normal_values_bytes"]))
        let ours = Self.rounded(values, type, seed: UInt64(seed))
        let differing = zip(ours, expected).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(differing.isEmpty, "\(differing.count) of \(expected.count) differ, first \(differing.first.map { "\($0.offset): \($0.element)" } ?? "")")
    }
}
