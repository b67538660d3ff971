import Foundation
import Testing
import TensorCore
import Checkpoint
import Fixtures
import TestSupport

/// Oracles: the SHA-256 of the reference generator's F16 checkpoint
/// (`python3 make_fixtures.py checkpoint sd15 out.safetensors`, numpy 2.4.6, `sha256sum`), the
/// layout resource for keys and shapes, and the generator spec (README "The generator, exactly")
/// re-implemented below with plain loops for values. All comparisons are exact.
@Suite(.serialized) struct FixtureModelsTests {
    /// The spec, written independently of `FixtureRandom`: element i of tensor `name`.
    static func specValue(_ name: String, seed: Int, index i: Int, center: Double, scale: Double) -> Float {
        var h: UInt64 = 0xCBF29CE484222325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100000001B3 }
        var z = (h ^ UInt64(bitPattern: Int64(seed))) &+ UInt64(i + 1) &* 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        z = z ^ (z >> 31)
        let u = Double(z >> 40) / 16_777_216
        let v = Float(2 * u - 1)
        return Float(center) + Float(scale) * v
    }

    @Test func checkpointIsByteIdenticalToReferenceGenerator() throws {
        let url = try TestFixtures.checkpointSD15()
        #expect(try SHA256.hexOfLargeFile(url) == "7be8e08bf0bca5f0ca4b0c1cd450c3809ad71333f1b9353ecd23695fb57a3ed9")
    }

    @Test func checkpointReadsBackThroughTensorIndex() throws {
        let index = try TensorIndex(url: try TestFixtures.checkpointSD15())
        let layout = try SD15Layout.checkpointShapes()
        #expect(index.keys == layout.keys.sorted())
        #expect(layout.allSatisfy { key, shape in index.shapeIfPresent(key) == shape && index.dtype(of: key) == .f16 })
        #expect(index.files[0].metadata == ["format": "pt"])

        // (key, center, scale) by init_rule; values stored F16, so compare after the same rounding.
        let probes: [(String, Double, Double)] = [
            ("model.diffusion_model.input_blocks.0.0.weight", 0, (3.0 / 36).squareRoot()),   // [320, 4, 3, 3]
            ("model.diffusion_model.out.0.weight", 1, 0.1),                                  // group norm gain
            ("first_stage_model.decoder.conv_out.bias", 0, 0.02),
        ]
        for (key, center, scale) in probes {
            let tensor = try index.tensor(key)
            let expected = (0..<tensor.count).map {
                FloatBits.halfToFloat(FloatBits.floatToHalf(Self.specValue(key, seed: 0, index: $0, center: center, scale: scale)))
            }
            #expect(tensor.scalars == expected, "\(key)")
        }
        #expect(index.unusedKeys.count == layout.count - probes.count)
    }

    @Test func vaeReadsBackAsF32() throws {
        let file = try SafeTensorsFile(url: try TestFixtures.vaeSD15())
        #expect(file.keys.count == 248 && file.keys.allSatisfy { !$0.hasPrefix("first_stage_model.") })
        let key = "encoder.conv_in.weight"                                                    // [128, 3, 3, 3]
        let tensor = try file.tensor(key)
        #expect(tensor.shape == [128, 3, 3, 3])
        #expect(tensor.scalars == (0..<tensor.count).map {
            Self.specValue(key, seed: 1, index: $0, center: 0, scale: (3.0 / 27).squareRoot())
        })
    }

    @Test func modelsFolderHasComfyUILayout() throws {
        let root = try TestFixtures.models
        for path in [TestFixtures.checkpointPath, TestFixtures.vaePath, TestFixtures.dpoLoRAPath]
            + LoRAFixtureKind.allCases.map(TestFixtures.loraPath) {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(path)")
        }
        let dpo = try SafeTensorsFile(url: root.appendingPathComponent(TestFixtures.dpoLoRAPath))
        #expect(dpo.metadata == ["ss_network_module": "networks.lora", "ss_network_dim": "4"])
        #expect(dpo.info("lora_unet_down_blocks_0_attentions_0_proj_in.alpha")?.shape == [])
        #expect(try dpo.tensor("lora_unet_down_blocks_0_attentions_0_proj_in.alpha").scalars == [2])
    }
}
