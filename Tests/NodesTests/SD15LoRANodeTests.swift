import Execution
import Foundation
import Models
import Nodes
import TensorCore
import Testing
import TestSupport
import Workflow

/// LoraLoader / LoraLoaderModelOnly on the fixture checkpoint through the nodes' `execute`.
/// Oracles: ../shared/reference/expected/unet.safetensors `*/kohya_lora/*/eps` (ComfyUI 0.8.0's UNet
/// after LoraLoaderModelOnly('1.5/1.5-dpo-LoRA.safetensors', 1.0)) and lora.safetensors `kohya/*`
/// (LoraLoader(…, 0.7, 1.3), first 32 rows); ComfyUI nodes.py for the passthrough rules.
/// Serialized: each patched MODEL owns 1.07 GB of patched UNet tensors.
@Suite(.serialized) struct SD15LoRANodeTests {
    static let lora = JSONValue.string("1.5/1.5-dpo-LoRA.safetensors")
    static let unetKey = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight"
    static let clipKey = "cond_stage_model.transformer.text_model.encoder.layers.0.self_attn.q_proj.weight"
    static let untouchedUNetKey = "model.diffusion_model.out.2.weight"
    static let untouchedCLIPKey = "cond_stage_model.transformer.text_model.final_layer_norm.weight"

    /// Tolerance as ModelsTests' UNet test: |a - e| <= 2e-5·max|e| + 1e-5·|e| (fp32 vs fp32, other
    /// summation orders through ~100 layers).
    @Test func loraLoaderModelOnlyMatchesComfyUI() throws {
        let (model, _, _) = try SD15Nodes.checkpoint()
        let out = try SD15Nodes.run(LoraLoaderModelOnly.self, ["model": model, "lora_name": Self.lora,
                                                               "strength_model": JSONValue.double(1.0)])
        let patched = try #require(out[0] as? ModelValue).model
        for point in ["first_step", "mid_step"] { try Self.expectReference(patched, point) }
    }

    static func expectReference(_ patched: any DiffusionModel, _ point: String) throws {
        let r = { (key: String) in try Reference.tensor("unet.safetensors", key) }
        let x = try r("\(point)/c_in_x"), t = try r("\(point)/timestep")
        let context = concat([try r("negative/cond"), try r("positive/cond")], axis: 0)
        let eps = try patched.predict(concat([x, x], axis: 0), timesteps: concat([t, t], axis: 0),
                                      conditioning: ModelConditioning([.crossAttention: .crossAttention(context)]))
        for (i, name) in ["uncond", "cond"].enumerated() {
            let expected = try r("\(point)/kohya_lora/\(name)/eps")
            let (d, s) = SD15Nodes.maxAbsDiff(eps.batch(i), expected)
            print("LoraLoaderModelOnly \(point) \(name): eps max|diff| \(d) (max|e| \(s))")
            #expect(closeness(eps.batch(i), expected, relative: 1e-5, absolute: 2e-5 * s) == nil, "\(point) \(name)")
            // The LoRA changes the output by far more than the tolerance: the test can fail.
            #expect(closeness(eps.batch(i), try r("\(point)/base/\(name)/eps"), relative: 1e-5, absolute: 2e-5 * s) != nil)
        }
    }

    static func loraLoader(_ strengthModel: Double, _ strengthClip: Double, name: JSONValue = lora,
                           context: NodeContext) throws -> (SD15DiffusionModel, SD15TextEncoder) {
        let (model, clip, _) = try SD15Nodes.checkpoint()
        let out = try SD15Nodes.run(LoraLoader.self, ["model": model, "clip": clip, "lora_name": name,
                                                      "strength_model": JSONValue.double(strengthModel),
                                                      "strength_clip": JSONValue.double(strengthClip)], context: context)
        return (try #require((out[0] as? ModelValue)?.model as? SD15DiffusionModel),
                try #require((out[1] as? CLIPValue)?.clip as? SD15TextEncoder))
    }

    /// Issue 6: 0.7 -> 1.0 -> 0.7 gives bit-identical weights for both 0.7 runs (no compounding),
    /// equal to ComfyUI's patched rows; every untouched tensor shares the base's storage, each run
    /// owns exactly its patched tensors (memory flat across re-runs), and the base is unchanged.
    @Test func strengthReRunsNeverCompoundAndShareTheBase() throws {
        let ctx = try SD15Nodes.context(LoraLoader.self)   // one node instance: the file is read once
        let base = try #require(try SD15Nodes.checkpoint().model.model as? SD15DiffusionModel).base.weights
        let baseUNet = try #require(base.tensors[Self.unetKey]).scalars
        var runs: [(unet: [Float], clip: [Float])] = []
        for strength in [0.7, 1.0, 0.7] {
            let (model, clip) = try Self.loraLoader(strength, 1.3, context: ctx)
            let (mw, cw) = (try model.heldWeights(), try clip.heldWeights())
            runs.append((try #require(mw.tensors[Self.unetKey]).scalars, try #require(cw.tensors[Self.clipKey]).scalars))
            for (held, key) in [(mw, Self.untouchedUNetKey), (cw, Self.untouchedCLIPKey)] {
                #expect(held.tensors[key]?.storageAddress == base.tensors[key]?.storageAddress, "\(key) shared")
            }
            #expect(mw.tensors[Self.unetKey]?.storageAddress != base.tensors[Self.unetKey]?.storageAddress)
            #expect(Self.ownedTensors(mw, base) == 192)   // the UNet weights the LoRA patches
            #expect(Self.ownedTensors(cw, base) == 72)    // the text-encoder weights
        }
        #expect(runs[0].unet == runs[2].unet && runs[0].clip == runs[2].clip)
        #expect(runs[0].unet != runs[1].unet)
        #expect(base.tensors[Self.unetKey]?.scalars == baseUNet)
        // The patched rows equal ComfyUI's (relative 1e-5 as the LoRA suite; fp16-rounded CLIP values).
        for (values, key, comfy) in [(runs[0].unet, Self.unetKey, "kohya/diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight"),
                                     (runs[0].clip, Self.clipKey, "kohya/clip_l.transformer.text_model.encoder.layers.0.self_attn.q_proj.weight")] {
            let expected = try Reference.tensor("lora.safetensors", comfy)
            let rows = Tensor(shape: expected.shape, scalars: Array(values.prefix(expected.count)))
            #expect(closeness(rows, expected, relative: 1e-5) == nil, "\(key)")
        }
        #expect(runs[0].clip.allSatisfy { Float(Float16($0)) == $0 })
    }

    /// Issue 6 "memory stays flat across 20 re-runs": each re-run's patched weights are freed as
    /// soon as its MODEL value is dropped (as the executor drops a replaced cached output), and
    /// no run holds more than its own patched tensors.
    @Test func twentyReRunsFreeTheirPatchedWeights() throws {
        let ctx = try SD15Nodes.context(LoraLoaderModelOnly.self)
        let (model, _, _) = try SD15Nodes.checkpoint()
        let base = try #require(model.model as? SD15DiffusionModel).base.weights
        weak var previous: HeldWeights?
        for run in 0..<20 {
            try {
                let out = try SD15Nodes.run(LoraLoaderModelOnly.self, ["model": model, "lora_name": Self.lora,
                    "strength_model": JSONValue.double(run % 2 == 0 ? 0.7 : 1.0)], context: ctx)
                let held = try #require((out[0] as? ModelValue)?.model as? SD15DiffusionModel).heldWeights()
                #expect(Self.ownedTensors(held, base) == 192)
                previous = held
            }()
            #expect(previous == nil, "run \(run): patched weights still alive")
        }
    }

    /// Tensors of `held` that do not share storage with `base` (the patched ones).
    static func ownedTensors(_ held: HeldWeights, _ base: HeldWeights) -> Int {
        held.tensors.filter { $0.value.storageAddress != base.tensors[$0.key]?.storageAddress }.count
    }

    /// nodes.py: both strengths 0 return the inputs without opening the file (a missing file
    /// name shows it is not opened); LoraLoaderModelOnly at 0 likewise.
    @Test func strengthZeroPassesTheInputsThrough() throws {
        let (model, clip, _) = try SD15Nodes.checkpoint()
        let missing = JSONValue.string("not-there.safetensors")
        let out = try SD15Nodes.run(LoraLoader.self, ["model": model, "clip": clip, "lora_name": missing,
                                                      "strength_model": JSONValue.double(0), "strength_clip": JSONValue.double(0)])
        let m = try #require((out[0] as? ModelValue)?.model as? SD15DiffusionModel)
        let c = try #require((out[1] as? CLIPValue)?.clip as? SD15TextEncoder)
        #expect(m.loras.isEmpty && c.loras.isEmpty)
        #expect(try m.heldWeights() === m.base.weights)
        let only = try SD15Nodes.run(LoraLoaderModelOnly.self, ["model": model, "lora_name": missing, "strength_model": JSONValue.double(0)])
        #expect(((only[0] as? ModelValue)?.model as? SD15DiffusionModel)?.loras.isEmpty == true)
        // A non-zero strength does open it: ComfyUI's "Model in folder ... not found." error.
        let error = #expect(throws: ModelFileNotFound.self) {
            try SD15Nodes.run(LoraLoaderModelOnly.self, ["model": model, "lora_name": missing, "strength_model": JSONValue.double(1)])
        }
        #expect(error?.description.hasPrefix("Model in folder 'loras' with filename 'not-there.safetensors' not found. (searched ") == true)
    }

    /// Chained LoraLoaders stack (ComfyUI adds patches to a clone each time): the second node's
    /// model carries both files; strength 0 on the CLIP side leaves the CLIP input as it was.
    @Test func loraLoadersChain() throws {
        let (model, clip, _) = try SD15Nodes.checkpoint()
        let first = try SD15Nodes.run(LoraLoader.self, ["model": model, "clip": clip, "lora_name": Self.lora,
                                                        "strength_model": JSONValue.double(0.5), "strength_clip": JSONValue.double(0)])
        let second = try SD15Nodes.run(LoraLoader.self, ["model": first[0], "clip": first[1],
                                                         "lora_name": JSONValue.string("fixture-locon.safetensors"),
                                                         "strength_model": JSONValue.double(-0.3), "strength_clip": JSONValue.double(1)])
        let m = try #require((second[0] as? ModelValue)?.model as? SD15DiffusionModel)
        #expect(m.loras.entries.map(\.file) == ["1.5/1.5-dpo-LoRA.safetensors", "fixture-locon.safetensors"])
        #expect(m.loras.entries.map(\.strength) == [0.5, -0.3])
        let c = try #require((first[1] as? CLIPValue)?.clip as? SD15TextEncoder)
        #expect(c.loras.isEmpty)
    }
}
