import Foundation
import Testing
import TensorCore
import Checkpoint

/// Oracle: the renaming rules as documented on `KeyRename` (first matching rule wins), and the
/// error texts loaders show users (key, file and shapes named).
@Suite struct TensorIndexTests {
    static func write(_ name: String, _ items: [SafeTensorsWriter.Item]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-index-\(UUID().uuidString)-\(name)")
        try SafeTensorsWriter.write(items, to: url)
        return url
    }

    @Test func renamesAcrossFilesAndTracksUse() throws {
        let a = try Self.write("a.safetensors", [
            .init(key: "first_stage_model.decoder.w", floats: [1, 2], shape: [2]),
            .init(key: "model_ema.decay", floats: [0.9], shape: []),
            .init(key: "cond_stage_model.transformer.encoder.x", floats: [3], shape: [1]),
        ])
        let b = try Self.write("b.safetensors", [.init(key: "extra", floats: [4, 5, 6], shape: [3], as: .f16)])
        defer { for u in [a, b] { try? FileManager.default.removeItem(at: u) } }
        let index = try TensorIndex(urls: [a, b], rename: [
            .dropPrefix("model_ema."),
            .replacePrefix("cond_stage_model.transformer.encoder.", with: "cond_stage_model.transformer.text_model.encoder."),
            .stripPrefix("first_stage_model."),
        ])
        #expect(index.keys == ["cond_stage_model.transformer.text_model.encoder.x", "decoder.w", "extra"])
        #expect(index.file == "\(a.lastPathComponent) + \(b.lastPathComponent)")
        #expect(try index.tensor("decoder.w").scalars == [1, 2])
        #expect(index.entry("decoder.w")?.storedKey == "first_stage_model.decoder.w")
        try index.withRawBytes("extra") { raw, info in
            #expect(info.dtype == .f16 && raw.count == 6)
        }
        #expect(index.unusedKeys == ["cond_stage_model.transformer.text_model.encoder.x"])
        index.markUsed("cond_stage_model.transformer.text_model.encoder.x")
        #expect(index.unusedKeys.isEmpty)
    }

    @Test func twoTensorsUnderOneNameAreRefused() throws {
        let a = try Self.write("a.safetensors", [.init(key: "x.w", floats: [1], shape: [1]), .init(key: "w", floats: [1], shape: [1])])
        defer { try? FileManager.default.removeItem(at: a) }
        #expect(throws: CheckpointError.duplicateKey(key: "w", file: a.lastPathComponent)) {
            try TensorIndex(url: a, rename: [.stripPrefix("x.")])
        }
    }

    @Test func errorsNameKeyFileAndShapes() {
        let mismatch = CheckpointError.shapeMismatch(key: "model.w", file: "m.safetensors", expected: [2, 3], actual: [3, 2])
        #expect(mismatch.description == "tensor 'model.w' in m.safetensors has shape [3, 2], expected [2, 3]")
        #expect(CheckpointError.missingTensor(key: "k", file: "m.safetensors").description
                == "tensor 'k' is missing from m.safetensors")
    }

    @Test func writerRefusesUnwritablePathAndDuplicateKeys() {
        let bad = URL(fileURLWithPath: "/nonexistent/dir/out.safetensors")
        #expect(throws: CheckpointError.writeFailed(file: bad.path, reason: "No such file or directory")) {
            try SafeTensorsWriter.write([.init(key: "w", floats: [1], shape: [1])], to: bad)
        }
        #expect(throws: CheckpointError.duplicateKey(key: "w", file: bad.path)) {
            try SafeTensorsWriter.write([.init(key: "w", floats: [1], shape: [1]), .init(key: "w", floats: [2], shape: [1])], to: bad)
        }
    }
}
