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

    /// A patch (LoRA) sees the held fp16 value and its fp32 result is rounded to fp16 again, as
    /// ComfyUI stores a patched text-encoder weight (expected/README.md part 7).
    @Test func patchedFloat16WeightsAreRoundedAfterThePatch() throws {
        let index = try Self.index([.init(key: "te.w", floats: [0.1, 0.2], shape: [2])])
        var seen: [String] = []
        let scope = WeightScope(index, prefix: "te", precision: .float16) { key, w in
            seen.append(key)
            return w + Tensor(shape: [2], scalars: [1e-4, 0])
        }
        let patched = try scope.tensor("w", shape: [2])
        #expect(seen == ["te.w"])
        #expect(patched.scalars == [Float(Float16(Float(Float16(0.1)) + 1e-4)), Float(Float16(0.2))])
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
