import Checkpoint
import Foundation
import Testing
import TestSupport

/// Oracle: ../shared/reference/sd15_unet_diffusers_map.json (ComfyUI 0.8.0 utils.unet_to_diffusers
/// on the SD1.5 config) and sd15_layout.json (every key of an SD1.5 single-file checkpoint). Exact.
struct KeyMapDiffusersUNetTests {
    static func json<T>(_ name: String, as: T.Type) throws -> T {
        let data = try Data(contentsOf: SharedKit.reference.appendingPathComponent(name))
        return try #require(JSONSerialization.jsonObject(with: data) as? T)
    }

    @Test func sd15MapEqualsComfyUIs() throws {
        let expected = try Self.json("sd15_unet_diffusers_map.json", as: [String: String].self)
        let generated = DiffusersUNetKeys.map(.sd15)
        #expect(generated.count == expected.count)
        #expect(Set(generated.keys).symmetricDifference(expected.keys).sorted() == [])
        let wrong = expected.filter { generated[$0.key] != $0.value }.keys.sorted()
        #expect(wrong == [], "first: \(wrong.first.map { "\($0) -> \(generated[$0] ?? "nil")" } ?? "")")
    }

    @Test func layoutIsDetectedFromTheCheckpointKeys() throws {
        let layout = try Self.json("sd15_layout.json", as: [String: Any].self)
        #expect(UNetBlockLayout(detectingFrom: Set(layout.keys)) == .sd15)
        #expect(UNetBlockLayout(detectingFrom: ["cond_stage_model.transformer.final_layer_norm.weight"]) == nil)
    }

    @Test func sdxlMapHasItsTenBlockTransformers() {
        let map = DiffusersUNetKeys.map(.sdxl)
        #expect(map["down_blocks.2.attentions.1.transformer_blocks.9.attn2.to_k.weight"]
            == "input_blocks.8.1.transformer_blocks.9.attn2.to_k.weight")
        #expect(map["up_blocks.0.attentions.2.transformer_blocks.9.ff.net.2.weight"]
            == "output_blocks.2.1.transformer_blocks.9.ff.net.2.weight")
        #expect(map["up_blocks.0.upsamplers.0.conv.weight"] == "output_blocks.2.2.conv.weight")
        #expect(map["mid_block.attentions.0.transformer_blocks.9.attn1.to_q.weight"]
            == "middle_block.1.transformer_blocks.9.attn1.to_q.weight")
        #expect(map["add_embedding.linear_1.weight"] == "label_emb.0.0.weight")
    }
}
