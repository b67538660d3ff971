import Checkpoint
import Fixtures
import Foundation
import Models
import Nodes
import TensorCore
import Testing
import TestSupport
import Workflow

/// UNETLoader and CLIPLoader(type stable_diffusion) load the SD1.x parts of the fixture checkpoint
/// written as standalone files (the checkpoint's tensors, same values and F16 storage, under the
/// names ComfyUI's loaders take: a bare UNet `input_blocks.*`, a CLIP-L in the HF `text_model.*`
/// layout). Oracle: ../shared/reference/expected/unet.safetensors and clip.safetensors, ComfyUI
/// 0.8.0 with CheckpointLoaderSimple's models, which these files hold exactly; tolerances as
/// SD15LoRANodeTests (eps: 1e-5 relative + 2e-5·max|e|) and SD15CLIPNodeTests (2e-5 + 1e-5·|e|).
@Suite(.serialized) struct SD15PartLoaderTests {
    /// Writes the checkpoint tensors under `prefix` as `folder/name` with the prefix replaced by
    /// `replacement` (values generated from the checkpoint keys, so they equal the checkpoint's).
    static func partFile(_ folder: String, _ name: String, prefix: String, replacement: String) throws -> URL {
        let root = try Fixtures.models([])
        let url = root.appendingPathComponent(folder).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let items = try FixtureGenerator.checkpointTensors(seed: 0).filter { $0.key.hasPrefix(prefix) }.map {
            $0.item(storedAs: .f16, storedKey: replacement + $0.key.dropFirst(prefix.count))
        }
        try SafeTensorsWriter.write(items, to: url)
        return root
    }

    @Test func unetLoaderLoadsABareSD1xUNet() throws {
        let root = try Self.partFile("diffusion_models", "sd15_unet.safetensors", prefix: "model.diffusion_model.", replacement: "")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = try SD15Nodes.run(UNETLoader.self, ["unet_name": JSONValue.string("sd15_unet.safetensors"),
                                                      "weight_dtype": JSONValue.string("default")],
                                    context: SD15Nodes.context(UNETLoader.self, models: root))
        let model = try #require((out[0] as? ModelValue)?.model as? SD15DiffusionModel)
        #expect(model.base.unusedKeys == [])
        #expect(model.base.clip == nil)
        let r = { (key: String) in try Reference.tensor("unet.safetensors", key) }
        let x = try r("first_step/c_in_x"), t = try r("first_step/timestep")
        let context = concat([try r("negative/cond"), try r("positive/cond")], axis: 0)
        let eps = try model.predict(concat([x, x], axis: 0), timesteps: concat([t, t], axis: 0),
                                    conditioning: ModelConditioning([.crossAttention: .crossAttention(context)]))
        for (i, name) in ["uncond", "cond"].enumerated() {
            let expected = try r("first_step/base/\(name)/eps")
            let (d, s) = SD15Nodes.maxAbsDiff(eps.batch(i), expected)
            print("UNETLoader first_step \(name): eps max|diff| \(d) (max|e| \(s))")
            #expect(closeness(eps.batch(i), expected, relative: 1e-5, absolute: 2e-5 * s) == nil, "\(name)")
        }
    }

    @Test func clipLoaderLoadsAnHFLayoutCLIPL() throws {
        // The fixture checkpoint spells its text encoder `cond_stage_model.transformer.*` (no text_model.).
        let root = try Self.partFile("text_encoders", "clip_l.safetensors", prefix: "cond_stage_model.transformer.",
                                     replacement: "text_model.")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = try SD15Nodes.run(CLIPLoader.self, ["clip_name": JSONValue.string("clip_l.safetensors"),
                                                      "type": JSONValue.string("stable_diffusion")],
                                    context: SD15Nodes.context(CLIPLoader.self, models: root))
        let clip = try #require(out[0] as? CLIPValue)
        let encoder = try #require(clip.clip as? SD15TextEncoder)
        #expect(encoder.base.unusedKeys == [])
        #expect(encoder.base.unet == nil)
        #expect(SD15CLIPNodeTests.cases.count == 7)
        for c in SD15CLIPNodeTests.cases {
            var value = clip
            if let layer = c.stopAt {
                value = try #require(try SD15Nodes.run(CLIPSetLastLayer.self, ["clip": value,
                                                                               "stop_at_clip_layer": JSONValue.int(Int64(layer))])[0] as? CLIPValue)
            }
            let entry = try value.clip.encode(c.text)
            let cond = try Reference.tensor("clip.safetensors", c.condKey)
            let pooled = try Reference.tensor("clip.safetensors", c.pooledKey)
            #expect(closeness(entry.cond, cond, relative: 1e-5, absolute: 2e-5) == nil, "\(c) cond")
            #expect(closeness(try #require(entry.pooled), pooled, relative: 1e-5, absolute: 2e-5) == nil, "\(c) pooled")
        }
    }
}
