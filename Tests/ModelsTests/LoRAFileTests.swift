import Foundation
@testable import Models
import TensorCore
import Testing

/// How LoRA files are read and matched: errors and warnings name the file and the counts; the
/// less common layouts (LoCon `lora_mid`, LoKr factors, LoHa Tucker) follow their formulas.
/// Oracles: exact messages, and products written out by hand on small integer tensors (exact).
struct LoRAFileTests {
    static let sd15 = LoRAFixtures.targets

    @Test func corruptFileIsAnErrorNamingIt() throws {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("broken-\(UUID()).safetensors")
        try Data([0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0x7b]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: LoRAError.self) { try LoRAFile(url: url, name: "broken.safetensors") }
        guard case .unreadable(let file, _) = error else { Issue.record("\(error)"); return }
        #expect(file == "broken.safetensors")
        #expect(error.description.hasPrefix("LoRA broken.safetensors cannot be read: "))
    }

    @Test func loraMatchingNothingSaysSo() throws {
        let lora = try LoRAFile(name: "flux-style.safetensors", tensors: [
            "lora_transformer_single_blocks_0_linear1.lora_up.weight": .zeros([8, 4]),
            "lora_transformer_single_blocks_0_linear1.lora_down.weight": .zeros([4, 8]),
            "lora_transformer_single_blocks_0_linear1.alpha": Tensor(shape: [], scalars: [4]),
        ])
        let match = lora.resolve(against: [Self.sd15.unet, Self.sd15.clip])
        #expect(match.matchedKeys == 0)
        #expect(match.notLoaded.count == 3)
        #expect(match.summary == "LoRA flux-style.safetensors: 0 weights patched (0 + 0), 3 of 3 tensors not loaded; "
            + "it matches nothing in this model (a LoRA for another architecture?)")
    }

    /// An SDXL LoRA on SD1.5: names that exist in both resolve, but the shapes differ (SDXL's
    /// down_blocks.1 cross-attention reads a 2048-wide context, SD1.5's 768), and `lora_te2_` has
    /// no CLIP-G to land on.
    @Test func sdxlLoRAOnSD15ReportsShapeMismatches() throws {
        let m = "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2_to_k"
        let te1 = "lora_te1_text_model_encoder_layers_0_mlp_fc1"
        let te2 = "lora_te2_text_model_encoder_layers_0_mlp_fc1"
        let lora = try LoRAFile(name: "sdxl-style.safetensors", tensors: [
            m + ".lora_up.weight": .zeros([640, 4]), m + ".lora_down.weight": .zeros([4, 2048]),
            te1 + ".lora_up.weight": .zeros([3072, 4]), te1 + ".lora_down.weight": .zeros([4, 768]),
            te2 + ".lora_up.weight": .zeros([5120, 4]), te2 + ".lora_down.weight": .zeros([4, 1280]),
        ])
        let match = lora.resolve(against: [Self.sd15.unet, Self.sd15.clip])
        #expect(match.matchedKeys == 1)   // te1 fc1 fits SD1.5's CLIP-L, as in ComfyUI
        #expect(match.shapeMismatches == [m + " -> model.diffusion_model.input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight: "
            + "delta [640, 2048] does not fit weight [640, 768]"])
        #expect(match.notLoaded.count == 4)
        #expect(match.summary == "LoRA sdxl-style.safetensors: 1 weights patched (0 + 1), 4 of 6 tensors not loaded, "
            + "1 modules with mismatched shapes")
    }

    /// LoCon with a Tucker core: diff[o, c, y, x] = up[o] * mid[y, x] * down[c] for rank 1.
    @Test func loconMidFollowsTheTuckerProduct() throws {
        let up = Tensor(shape: [2, 1, 1, 1], scalars: [1, 2])
        let down = Tensor(shape: [1, 3, 1, 1], scalars: [1, 10, 100])
        let mid = Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init))
        let delta = LoRADelta(product: .lowRank(up: up, down: down, mid: mid), alpha: nil, doraScale: nil)
        let d = try delta.difference(shape: [2, 3, 3, 3])
        for o in 0..<2 { for c in 0..<3 { for y in 0..<3 { for x in 0..<3 {
            #expect(d[o, c, y, x] == up[o, 0, 0, 0] * down[0, c, 0, 0] * mid[0, 0, y, x])
        } } } }
    }

    /// LoKr with w1 as a product and w2 whole: kron(w1_a @ w1_b, w2); the scale is alpha over
    /// w1_b's rank when w2 has none (ComfyUI lokr.py `dim`).
    @Test func lokrFactorsFormAKroneckerProduct() throws {
        let w1a = Tensor(shape: [2, 1], scalars: [1, 2]), w1b = Tensor(shape: [1, 2], scalars: [1, 3])
        let w2 = Tensor(shape: [2, 2], scalars: [1, 0, 0, 5])
        let delta = LoRADelta(product: .kronecker(.product(a: w1a, b: w1b), .full(w2)),
                              alpha: 2, doraScale: nil)
        let w1: [[Float]] = [[1, 3], [2, 6]], w2v: [[Float]] = [[1, 0], [0, 5]]
        let out = try delta.apply(to: .zeros([4, 4]), strength: 0.5)
        for i in 0..<4 { for j in 0..<4 {
            #expect(out[i, j] == 0.5 * 2 * w1[i / 2][j / 2] * w2v[i % 2][j % 2])
        } }
    }

    /// LoHa with Tucker cores: einsum('i j k l, j r, i p -> p r k l', t, b, a) per half.
    @Test func lohaTuckerHalvesFollowTheEinsum() throws {
        let t = Tensor(shape: [1, 1, 1, 2], scalars: [1, 2])
        let a = Tensor(shape: [1, 2], scalars: [1, 3]), b = Tensor(shape: [1, 2], scalars: [1, 10])
        let half = LoRAFactor.tucker(core: t, a: a, b: b)
        let delta = LoRADelta(product: .hadamard(half, half), alpha: nil, doraScale: nil)
        let d = try delta.difference(shape: [2, 2, 1, 2])
        for p in 0..<2 { for r in 0..<2 { for l in 0..<2 {
            let m = a[0, p] * b[0, r] * t[0, 0, 0, l]
            #expect(d[p, r, 0, l] == m * m)
        } } }
    }

    @Test func textEncoderOnlyFileLeavesTheUNetAlone() throws {
        let match = try LoRAFixtures.file("te-only").resolve(against: [Self.sd15.unet, Self.sd15.clip])
        #expect(match.patches[0].isEmpty && match.patches[1].count == 72)
        #expect(match.summary == "LoRA fixture-te-only.safetensors: 72 weights patched (0 + 72), 0 of 216 tensors not loaded")
    }
}

/// kron's fast path (a factor without spatial extent) against the plain 8-loop definition, on
/// 2-D and 4-D factors. Oracle: `LoRAMath.kronGeneral`, the definition written out. Exact.
struct LoRAKronTests {
    @Test(arguments: [([2, 3], [4, 5]), ([2, 3, 1, 1], [4, 5, 3, 3]), ([1, 1], [3, 2])])
    func fastPathEqualsTheDefinition(xs: [Int], ys: [Int]) throws {
        let x = Tensor(shape: xs, scalars: (0..<xs.reduce(1, *)).map { Float($0 + 1) })
        let y = Tensor(shape: ys, scalars: (0..<ys.reduce(1, *)).map { Float($0) * 0.5 - 3 })
        let x4 = xs.count == 4 ? xs : xs + [1, 1], y4 = ys.count == 4 ? ys : ys + [1, 1]
        let spec = LoRAMath.kronGeneral(x, y, x4, y4, into: Tensor(shape: zip(xs, ys).map { $0 * $1 }, uninitialized: ()))
        #expect(try LoRAMath.kron(x, y).scalars == spec.scalars)
    }
}

/// The row-fused apply (low-rank, LoHa) against the unfused definition W + c * difference.
/// Oracle: `LoRADelta.difference`, then the scaled add written out. Exact.
struct LoRAFusedApplyTests {
    @Test(arguments: ["kohya", "loha"])
    func fusedApplyEqualsScaledDifference(kind: String) throws {
        let patches = try LoRAFixtures.file(kind).resolve(against: [LoRAFixtures.targets.unet]).patches[0]
        let key = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.ff.net.0.proj.weight"
        let delta = try #require(patches[key])
        let w = Tensor(shape: [2560, 320], scalars: (0..<819_200).map { Float($0 % 101) * 1e-3 - 0.05 })
        let fused = try delta.apply(to: w, strength: -0.8)
        let diff = try delta.difference(shape: w.shape).scalars, wv = w.scalars
        let c = Float(-0.8 * delta.scale)
        #expect(fused.scalars == wv.indices.map { wv[$0] + c * diff[$0] })
    }
}
