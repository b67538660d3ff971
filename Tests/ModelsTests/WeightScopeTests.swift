import Checkpoint
import Foundation
import Models
import TensorCore
import Testing

/// Oracle: torch semantics: `.to(torch.float16)` rounds to nearest-even fp16 (how ComfyUI holds the
/// text encoder), and a state-dict load with a wrong shape fails naming the key.
@Suite struct WeightScopeTests {
    static func index(_ items: [SafeTensorsWriter.Item]) throws -> TensorIndex {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scope-\(UUID().uuidString).safetensors")
        try SafeTensorsWriter.write(items, to: url)
        return try TensorIndex(url: url)
    }

    @Test func float16PrecisionRoundsF32ValuesLikeTorch() throws {
        let values: [Float] = [0.1, 1.0 / 3, 65504, 1e-8]
        let index = try Self.index([.init(key: "a.b.weight", floats: values, shape: [4])])
        let held = try WeightScope(index, precision: .float16)["a"]["b"].tensor("weight", shape: [4])
        #expect(held.scalars == values.map { Float(Float16($0)) })
        #expect(held.scalars[0] == 0.0999755859375)
        let full = try WeightScope(index)["a.b"].tensor("weight", shape: [4])
        #expect(full.scalars == values)
    }

    /// Weights are handed out in their file dtype (mapped, not copied); a fp16 scope rounds other
    /// dtypes to fp16 once and keeps a F16 tensor's mapped bytes.
    @Test func storedWeightsKeepTheirFileDtype() throws {
        let index = try Self.index([.init(key: "a.w", floats: [0.1, 0.2], shape: [2], as: .bf16),
                                    .init(key: "a.h", floats: [0.1, 0.2], shape: [2], as: .f16)])
        let full = try WeightScope(index, prefix: "a").stored("w", shape: [2])
        #expect(full.dtype == .bf16 && full.isMapped)
        let rounded = try WeightScope(index, prefix: "a", precision: .float16).stored("w", shape: [2])
        #expect(rounded.dtype == .f16 && !rounded.isMapped)
        #expect(rounded.scalars == full.scalars.map { Float(Float16($0)) })
        let half = try WeightScope(index, prefix: "a", precision: .float16).stored("h", shape: [2])
        #expect(half.dtype == .f16 && half.isMapped)
    }

    @Test func wrongShapeNamesKeyFileAndShapes() throws {
        let index = try Self.index([.init(key: "layer.weight", floats: [1, 2], shape: [2])])
        let error = try #require(throws: CheckpointError.self) {
            try WeightScope(index)["layer"].tensor("weight", shape: [3])
        }
        #expect(error.description.hasPrefix("tensor 'layer.weight' in scope-"))
        #expect(error.description.hasSuffix("has shape [2], expected [3]"))
    }
}
