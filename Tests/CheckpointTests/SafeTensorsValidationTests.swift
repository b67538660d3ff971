import Foundation
import Testing
@testable import Checkpoint
import TestSupport

/// Oracle: the safetensors format rules (the reference Rust reader's checks): each malformed file
/// must be refused with the stated `CheckpointError`, never a trap.
@Suite struct SafeTensorsValidationTests {
    /// A file image: 8-byte little-endian header length, `header` verbatim, then `data`.
    static func image(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        return withUnsafeBytes(of: (declaredLength ?? UInt64(h.count)).littleEndian) { Array($0) } + h + data
    }

    static func parse(_ bytes: [UInt8]) throws {
        _ = try bytes.withUnsafeBytes { try SafeTensorsFile.parseHeader($0, file: "t.safetensors") }
    }

    static let f = "t.safetensors"
    static let cases: [(String, [UInt8], CheckpointError)] = [
        ("empty file", [], .truncated(file: f, detail: "0 bytes, fewer than the 8-byte header length")),
        ("short length", [1, 0, 0], .truncated(file: f, detail: "3 bytes, fewer than the 8-byte header length")),
        ("header past the end", image("{}", declaredLength: 40),
         .truncated(file: f, detail: "header of 40 bytes, but only 2 follow")),
        ("absurd header length", image("{}", declaredLength: UInt64.max),
         .invalidHeader(file: f, reason: "header length 18446744073709551615 exceeds the limit of 100000000 bytes")),
        ("bad JSON", image("{\"a\" 1}"), .invalidHeader(file: f, reason: "expected ':' at 5")),
        ("cut JSON", image("{\"a\":"), .invalidTensor(key: "a", file: f, reason: "its entry is not a JSON object")),
        ("unclosed object", image("{\"__metadata__\":{}"), .invalidHeader(file: f, reason: "the JSON object is not closed")),
        ("not an object", image("[1,2]"), .invalidHeader(file: f, reason: "the header is not a JSON object")),
        ("trailing garbage", image("{}x"), .invalidHeader(file: f, reason: "unexpected bytes after the JSON object at 2")),
        ("unknown dtype", image(#"{"w":{"dtype":"F12","shape":[1],"data_offsets":[0,2]}}"#, data: [0, 0]),
         .unknownDType(key: "w", file: f, dtype: "F12")),
        ("size mismatch", image(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
         .invalidTensor(key: "w", file: f, reason: "4 data bytes do not match F32 x shape [2]")),
        ("negative dimension", image(#"{"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}"#, data: [0]),
         .invalidTensor(key: "w", file: f, reason: "shape holds something other than a non-negative integer")),
        ("overflowing shape", image(#"{"w":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,1]}}"#, data: [0]),
         .invalidTensor(key: "w", file: f, reason: "shape [4294967296, 4294967296] overflows")),
        ("offset past the data", image(#"{"w":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#, data: [0, 0]),
         .truncated(file: f, detail: "tensor 'w' ends at data offset 4, past the 2 data bytes")),
        ("offsets backwards", image(#"{"w":{"dtype":"U8","shape":[0],"data_offsets":[2,1]}}"#, data: [0, 0]),
         .invalidTensor(key: "w", file: f, reason: "data_offsets [2, 1] run backwards")),
        ("three offsets", image(#"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}}"#, data: [0]),
         .invalidTensor(key: "w", file: f, reason: "data_offsets has 3 values, not 2")),
        ("overlap", image(#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}"#,
                          data: [0, 0, 0]),
         .invalidTensor(key: "b", file: f, reason: "data_offsets start at 1: overlaps the tensor before it")),
        ("gap", image(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, data: [0, 0]),
         .invalidTensor(key: "a", file: f, reason: "data_offsets start at 1: leaves a gap before it")),
        ("data not covered", image(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, data: [0, 0]),
         .invalidHeader(file: f, reason: "tensors cover 1 of the 2 data bytes")),
        ("duplicate key", image(#"{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}"#),
         .duplicateKey(key: "a", file: f)),
        ("missing field", image(#"{"a":{"dtype":"U8","shape":[0]}}"#),
         .invalidTensor(key: "a", file: f, reason: "its entry lacks data_offsets")),
        ("fractional offset", image(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1.0]}}"#, data: [0]),
         .invalidTensor(key: "a", file: f, reason: "data_offsets holds something other than a non-negative integer")),
        ("metadata not strings", image(#"{"__metadata__":{"n":1}}"#),
         .invalidHeader(file: f, reason: "__metadata__ value of 'n' is not a string")),
        ("lone surrogate", image(#"{"\ud800":{}}"#), .invalidHeader(file: f, reason: "a lone UTF-16 surrogate in a string")),
        ("deep nesting", image("{\"a\":{\"x\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}}"),
         .invalidHeader(file: f, reason: "the header nests deeper than 32 levels")),
    ]

    @Test(arguments: 0..<cases.count)
    func refusesMalformedFile(_ n: Int) {
        let (name, bytes, expected) = Self.cases[n]
        #expect(throws: expected, "\(name)") { try Self.parse(bytes) }
    }

    @Test func acceptsMetadataPaddingUnknownFieldsAndEscapes() throws {
        let header = #"{"__metadata__":{"format":"pt","w\u00e9":"x\ny"},"#
            + #""a\/b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2],"extra":[{"k":null},true,-1.5e3]}}    "#
        let parsed = try Self.image(header, data: [1, 0]).withUnsafeBytes {
            try SafeTensorsFile.parseHeader($0, file: Self.f)
        }
        #expect(parsed.metadata == ["format": "pt", "wé": "x\ny"])
        #expect(parsed.infos.map(\.key) == ["a/b"])
        #expect(parsed.infos.first?.byteRange == (8 + header.utf8.count)..<(8 + header.utf8.count + 2))
    }

    @Test func missingFileNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent/dir/model.safetensors")
        #expect(throws: CheckpointError.cannotOpen(file: url.path, reason: "No such file or directory")) {
            try SafeTensorsFile(url: url)
        }
    }

    /// Before the check came first, `open` on a FIFO blocked forever.
    @Test func fifoIsNotARegularFileAndDoesNotHang() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-fifo-\(UUID().uuidString)/model.safetensors")
        try makeFIFO(at: url)
        let error = try withinTimeout { () -> String? in
            do { _ = try SafeTensorsFile(url: url); return nil } catch { return "\(error)" }
        }
        #expect(error == "cannot open \(url.path): not a regular file")
        let digest = try withinTimeout { () -> String? in
            do { _ = try SHA256.hex(ofFile: url); return nil } catch { return "\(error)" }
        }
        #expect(digest == "cannot open \(url.path): not a regular file")
    }
}
