import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// Oracle: ../shared/reference/expected/lora.safetensors and lora.json, ComfyUI 0.8.0's LoraLoader
/// (strength_model 0.7, strength_clip 1.3) on the SD1.5 fixture, rows 0..31 of each stored weight.
/// Relative 1e-5 (float32 vs float32; text-encoder weights rounded to fp16 by both). Measured:
/// bit-identical, 0 differing elements over all 38 stored weights of the 7 kinds.
@Suite(.serialized) struct LoRAReferenceTests {
    static let strengthModel = 0.7, strengthClip = 1.3

    /// Patched rows of every stored key of `kind`, starting from `unpatched/<key>`.
    @Test(arguments: LoRAFixtures.kinds)
    func patchedWeightsMatchComfyUI(kind: String) throws {
        let lora = try LoRAFixtures.file(kind)
        let (unet, clip) = LoRAFixtures.targets
        let match = lora.resolve(against: [unet, clip])
        let stored = try #require(LoRAFixtures.kind(kind)["stored"] as? [[String: Any]])
        #expect(!stored.isEmpty)
        for entry in stored {
            let refKey = try #require(entry["key"] as? String)
            let comfyKey = String(refKey.dropFirst(kind.count + 1))
            let key = LoRAFixtures.canonical(comfyKey)
            let isUNet = key.hasPrefix("model.")
            let rows = try Reference.tensor("lora.safetensors", "unpatched/" + comfyKey)
            let base = LoRAFixtures.padded(rows, to: LoRAFixtures.fullShape(comfyKey))
            let patched = try LoRAPatcher.patchedTensor(
                key, base, [(match.patches[isUNet ? 0 : 1], isUNet ? Self.strengthModel : Self.strengthClip)],
                precision: isUNet ? .float32 : .float16)
            let got = LoRAFixtures.rows(patched, rows.shape[0])
            let expected = try Reference.tensor("lora.safetensors", refKey)
            #expect(got.scalars != rows.scalars, "\(kind) \(key) was not patched")
            let problem = closeness(got, expected, relative: 1e-5)
            #expect(problem == nil, "\(kind) \(key): \(problem ?? "")")
        }
    }

    /// The set of patched model keys equals ComfyUI's (PEFT: a superset, the extra keys being the
    /// attention layers ComfyUI 0.8.0 skips).
    @Test(arguments: LoRAFixtures.kinds)
    func matchedKeysAgreeWithComfyUI(kind: String) throws {
        let lora = try LoRAFixtures.file(kind)
        let (unet, clip) = LoRAFixtures.targets
        let match = lora.resolve(against: [unet, clip])
        let info = LoRAFixtures.kind(kind)
        let refUNet = Set(try #require(info["unet_keys"] as? [String]).map(LoRAFixtures.canonical))
        let refCLIP = Set(try #require(info["clip_keys"] as? [String]).map(LoRAFixtures.canonical))
        let ours = (unet: Set(match.patches[0].keys), clip: Set(match.patches[1].keys))
        #expect(ours.clip == refCLIP)
        #expect(match.shapeMismatches == [])
        #expect(lora.tensorCount == info["file_tensor_count"] as? Int)
        if kind == "peft" {
            #expect(ours.unet.isSuperset(of: refUNet))
            let extra = ours.unet.subtracting(refUNet)
            #expect(extra.count == 128 && extra.allSatisfy { $0.contains(".attn1.to_") || $0.contains(".attn2.to_") })
            #expect(match.notLoaded == [])
            #expect(match.appliedUnlikeComfyUI.count == 128)
            let refNotLoaded = try #require(info["not_loaded_messages"] as? [String])
            #expect(refNotLoaded.count == 2 * extra.count)
        } else {
            #expect(ours.unet == refUNet)
            #expect(match.notLoaded == [])
            #expect(match.appliedUnlikeComfyUI == [])
        }
    }

    /// Oracle: the LoRA formula W + s*(B@A) (PEFT has no alpha), evaluated here in double, for the
    /// attention keys ComfyUI 0.8.0 leaves unpatched. Relative 1e-5 plus absolute 1.5e-8 (two float32
    /// ulps at the weights' scale, 0.1): this oracle rounds once where float32 rounds three times.
    @Test(arguments: ["diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight",
                      "diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight",
                      "diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_out.0.weight"])
    func peftAttentionKeysFollowTheLoRAFormula(comfyKey: String) throws {
        let lora = try LoRAFixtures.file("peft")
        let match = lora.resolve(against: [LoRAFixtures.targets.unet])
        let key = LoRAFixtures.canonical(comfyKey)
        let delta = try #require(match.patches[0][key])
        guard case let .lowRank(up, down, nil) = delta.product else { Issue.record("not low-rank"); return }
        let rows = try Reference.tensor("lora.safetensors", "unpatched/" + comfyKey)
        let cols = rows.shape[1]
        let base = LoRAFixtures.padded(rows, to: LoRAFixtures.fullShape(comfyKey))
        let got = LoRAFixtures.rows(try LoRAPatcher.patchedTensor(key, base, [(match.patches[0], 0.7)]), 32)
        let (u, d, w) = (up.scalars, down.scalars, rows.scalars), r = down.shape[0]
        var expected = [Float](repeating: 0, count: 32 * cols)
        for i in 0..<32 { for j in 0..<cols {
            var s = 0.0
            for k in 0..<r { s += Double(u[i * r + k]) * Double(d[k * cols + j]) }
            expected[i * cols + j] = Float(Double(w[i * cols + j]) + 0.7 * s)
        } }
        let problem = closeness(got, Tensor(shape: [32, cols], scalars: expected), relative: 1e-5, absolute: 1.5e-8)
        #expect(problem == nil, "\(comfyKey): \(problem ?? "")")
        #expect(got.scalars != w)
    }
}
