import Foundation
import Testing
import TensorCore
@testable import Checkpoint

/// Oracle: values written by `SafeTensorsWriter` must read back exactly through `SafeTensorsFile`
/// and `TensorIndex` (F32 and I64 exact; F16/BF16 exact for values representable in them).
@Suite struct SafeTensorsRoundTripTests {
    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-ckpt-\(getpid())-\(name)")
    }

    @Test func writesAndReadsEveryWrittenDType() throws {
        let url = Self.temporaryURL("roundtrip.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let values: [Float] = [0, 1, -2, 0.5, 1024, -0.25]
        try SafeTensorsWriter.write([
            .init(key: "b.half", floats: values, shape: [2, 3], as: .f16),
            .init(key: "a.float", floats: values, shape: [3, 2]),
            .init(key: "c.bfloat", floats: values, shape: [6], as: .bf16),
            .init(key: "d.ids", int64: [0, 1, 2, 76], shape: [1, 4]),
            .init(key: "e.scalar", floats: [3], shape: []),
        ], metadata: [("format", "pt")], to: url)

        let file = try SafeTensorsFile(url: url)
        #expect(file.keys == ["a.float", "b.half", "c.bfloat", "d.ids", "e.scalar"])
        #expect(file.metadata == ["format": "pt"])
        #expect(file.info("b.half")?.dtype == .f16)
        #expect(file.info("b.half")?.shape == [2, 3])
        #expect(try file.tensor("a.float").scalars == values)
        #expect(try file.tensor("b.half").scalars == values)
        #expect(try file.tensor("c.bfloat").scalars == values)
        #expect(try file.tensor("d.ids").scalars == [0, 1, 2, 76])
        #expect(try file.tensor("e.scalar").shape == [])
        #expect(try file.tensor("e.scalar").scalars == [3])

        let index = try TensorIndex(files: [file], rename: [.replacePrefix("b.", with: "model.")])
        #expect(index.contains("model.half"))
        #expect(try index.shape(of: "model.half") == [2, 3])
        #expect(index.shapeIfPresent("b.half") == nil)
        _ = try index.tensor("model.half")
        #expect(index.unusedKeys == ["a.float", "c.bfloat", "d.ids", "e.scalar"])
        #expect(throws: CheckpointError.missingTensor(key: "nope", file: url.lastPathComponent)) {
            try index.tensor("nope")
        }
        #expect(throws: CheckpointError.shapeMismatch(key: "a.float", file: url.lastPathComponent,
                                                      expected: [2, 3], actual: [3, 2])) {
            try index.tensor("a.float", shape: [2, 3])
        }
    }

    /// Oracle: the header Python's `json.dumps(header, separators=(",", ":"))` writes for this input.
    @Test func headerMatchesPythonJSON() throws {
        let items: [SafeTensorsWriter.Item] = [
            .init(key: "w", floats: [1, 2], shape: [2]),
            .init(key: "é\"\\\n😀", floats: [1], shape: [1], as: .f16),
        ].sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        let header = String(decoding: SafeTensorsWriter.headerBytes(items, metadata: [("z", "1"), ("a", "x")]), as: UTF8.self)
        let python = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"# +
            #""\u00e9\"\\\n\ud83d\ude00":{"dtype":"F16","shape":[1],"data_offsets":[8,10]},"# +
            #""__metadata__":{"z":"1","a":"x"}}"#
        #expect(header == python + String(repeating: " ", count: (8 - python.utf8.count % 8) % 8))
    }
}
