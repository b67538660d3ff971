import Foundation
import Testing
import TensorCore
@testable import Checkpoint

/// Oracle: "never a trap". Deterministic pseudo-random corruptions of a valid file must either be
/// refused with a `CheckpointError` or parse into tensors that lie inside the file and read back.
@Suite struct SafeTensorsFuzzTests {
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    /// A small valid file with several dtypes, a scalar, an empty tensor and metadata.
    static func validImage() throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-fuzz-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensorsWriter.write([
            .init(key: "model.w", floats: [1, 2, 3, 4, 5, 6], shape: [2, 3], as: .f16),
            .init(key: "model.b", floats: [0.5, -0.5], shape: [2], as: .bf16),
            .init(key: "alpha", floats: [2], shape: []),
            .init(key: "empty", floats: [], shape: [0, 4]),
            .init(key: "ids", int64: [0, 1, 2], shape: [1, 3]),
        ], metadata: [("format", "pt")], to: url)
        return Array(try Data(contentsOf: url))
    }

    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var b = bytes
        let interesting = Array("{}[]\":,-09e.\\u ".utf8) + [0, 0xFF, 0x80, 0xC3]
        for _ in 0...rng.below(3) {
            if b.count < 9 { break }
            let headerEnd = min(b.count, 8 + Int(bytes[0]) + Int(bytes[1]) << 8)
            switch rng.below(7) {
            case 0: b[rng.below(headerEnd)] ^= UInt8(1 << rng.below(8))                       // bit flip
            case 1: b[8 + rng.below(headerEnd - 8)] = interesting[rng.below(interesting.count)]
            case 2: b = Array(b.prefix(rng.below(b.count)))                                  // truncate
            case 3: b.replaceSubrange(0..<min(8, b.count), with: withUnsafeBytes(of: rng.next() >> UInt64(rng.below(64))) { Array($0) })
            case 4: if b.count > 9 { b.remove(at: 8 + rng.below(b.count - 8)) }
            case 5: b.insert(interesting[rng.below(interesting.count)], at: 8 + rng.below(max(1, b.count - 8)))
            default:                                                                        // a digit run -> big number
                let digits = (8..<headerEnd).filter { b[$0] >= 0x30 && b[$0] <= 0x39 }
                if let at = digits.isEmpty ? nil : digits[rng.below(digits.count)] {
                    b.replaceSubrange(at...at, with: Array(String(rng.next()).utf8))
                }
            }
        }
        return b
    }

    @Test func corruptedHeadersAreRefusedOrReadSafely() throws {
        let valid = try Self.validImage()
        var rng = SplitMix(state: 20261121)
        var refused = 0, accepted = 0
        for _ in 0..<4000 {
            let bytes = Self.mutate(valid, &rng)
            do {
                let parsed = try bytes.withUnsafeBytes { try SafeTensorsFile.parseHeader($0, file: "fuzz") }
                accepted += 1
                for info in parsed.infos {
                    #expect(info.byteRange.lowerBound >= 8 && info.byteRange.upperBound <= bytes.count)
                    #expect(info.byteRange.count == info.count * info.dtype.byteSize)
                }
            } catch is CheckpointError {
                refused += 1
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the reader.
        #expect(refused > 1000 && accepted > 50, "refused \(refused), accepted \(accepted)")
    }

    /// Files that parse are also read tensor by tensor through the mapped-file path.
    @Test func acceptedMutantsReadThroughTheFile() throws {
        let valid = try Self.validImage()
        var rng = SplitMix(state: 7)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-fuzz-read-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var read = 0
        for _ in 0..<400 {
            try Data(Self.mutate(valid, &rng)).write(to: url)
            guard let file = try? SafeTensorsFile(url: url) else { continue }
            for key in file.keys { read += try file.tensor(key).count >= 0 ? 1 : 0 }
        }
        #expect(read > 0)
    }
}
