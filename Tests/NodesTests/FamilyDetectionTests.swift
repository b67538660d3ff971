import Checkpoint
import Execution
import Foundation
import Models
import Nodes
import Runner
import TensorCore
import Testing
import TestSupport
import Workflow

/// The loader nodes iterate `Families.all`: a file is recognised from its keys and a few shapes
/// (ComfyUI 0.8.0 comfy/model_detection.py detect_unet_config, supported_models.py, sd.py
/// detect_te_model) and a file of a family or part the node cannot load is refused by name, before
/// any weight is read. The files here hold only the probed tensors, with the probed dimensions.
@Suite struct FamilyDetectionTests {
    /// A models root with safetensors files of zero tensors: folder/name -> tensors.
    static func models(_ files: [String: [(String, [Int])]]) throws -> URL {
        let root = try Fixtures.models([])
        for (path, tensors) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try SafeTensorsWriter.write(tensors.map { key, shape in
                SafeTensorsWriter.Item(key: key, floats: [Float](repeating: 0, count: shape.reduce(1, *)), shape: shape)
            }, to: url)
        }
        return root
    }

    /// The tensors detect_unet_config reads for an openaimodel UNet, with only the probed sizes real.
    static func unet(_ p: String = "model.diffusion_model.", context: Int = 768, linear: Bool = false, adm: Int? = nil,
                     inChannels: Int = 4, modelChannels: Int = 320) -> [(String, [Int])] {
        let b = p + "input_blocks.1."
        var t: [(String, [Int])] = [
            (p + "input_blocks.0.0.weight", [modelChannels, inChannels, 1, 1]), (p + "out.2.weight", [4, 1, 1, 1]),
            (b + "0.in_layers.0.weight", [1]), (b + "0.out_layers.3.weight", [modelChannels, 1, 1, 1]),
            (b + "1.proj_in.weight", linear ? [modelChannels, 1] : [modelChannels, 1, 1, 1]),
            (b + "1.transformer_blocks.0.attn2.to_k.weight", [1, context]),
        ]
        if let adm { t.append((p + "label_emb.0.0.weight", [1, adm])) }
        return t
    }

    static let clipParts: [(String, [Int])] = [("cond_stage_model.transformer.text_model.final_layer_norm.weight", [1]),
                                               ("first_stage_model.decoder.conv_in.weight", [1, 4, 1, 1])]
    static func flux(_ p: String = "", dev: Bool = true) -> [(String, [Int])] {
        var t: [(String, [Int])] = [(p + "double_blocks.0.img_attn.norm.key_norm.scale", [1]), (p + "img_in.weight", [1, 64])]
        if dev { t.append((p + "guidance_in.in_layer.weight", [1, 1])) }
        return t
    }
    static let clipL: [(String, [Int])] = [("text_model.encoder.layers.0.mlp.fc1.weight", [1, 1])]
    static let clipH: [(String, [Int])] = [("text_model.encoder.layers.22.mlp.fc1.weight", [1, 1])]
    static let t5XXL: [(String, [Int])] = [("encoder.block.23.layer.1.DenseReluDense.wi_1.weight", [1, 4096])]

    /// The description of the error `node` throws for these inputs.
    static func refusal(_ node: any NodeDefinition.Type, _ inputs: [String: JSONValue], models root: URL) throws -> String {
        let ctx = try SD15Nodes.context(node, models: root)
        let error = #expect(throws: (any Error).self) { try SD15Nodes.run(node, inputs, context: ctx) }
        return error.map { "\($0)" } ?? ""
    }

    static func checkpoint(_ name: String, _ tensors: [(String, [Int])]) throws -> String {
        try refusal(CheckpointLoaderSimple.self, ["ckpt_name": .string(name)], models: models(["checkpoints/" + name: tensors]))
    }

    static func unetLoader(_ name: String, _ tensors: [(String, [Int])], dtype: String = "default") throws -> String {
        try refusal(UNETLoader.self, ["unet_name": .string(name), "weight_dtype": .string(dtype)],
                    models: models(["diffusion_models/" + name: tensors]))
    }

    @Test func theListNamesComfyUIsFamiliesAndSD1xIsTheOneThatRuns() {
        #expect(Families.all.map(\.name) == ["SD1.x", "SD1.x inpainting", "SD2.x", "SDXL", "SD3", "Flux"])
        #expect(Families.supported.map(\.name) == ["SD1.x"])
    }

    @Test func checkpointsOfOtherFamiliesAreNamed() throws {
        #expect(try Self.checkpoint("sdxl.safetensors", Self.unet(context: 2048, linear: true, adm: 2816) + Self.clipParts)
                == "sdxl.safetensors is an SDXL checkpoint; supported families: SD1.x")
        #expect(try Self.checkpoint("refiner.safetensors", Self.unet(context: 1280, linear: true, adm: 2560, modelChannels: 384)
                                    + Self.clipParts)
                == "refiner.safetensors is an SDXL checkpoint (refiner); supported families: SD1.x")
        #expect(try Self.checkpoint("sd21.safetensors", Self.unet(context: 1024, linear: true) + Self.clipParts)
                == "sd21.safetensors is an SD2.x checkpoint; supported families: SD1.x")
        #expect(try Self.checkpoint("inpaint.safetensors", Self.unet(inChannels: 9) + Self.clipParts)
                == "inpaint.safetensors is an SD1.x inpainting checkpoint (9 input channels); supported families: SD1.x")
        #expect(try Self.checkpoint("sd3.safetensors", [("model.diffusion_model.joint_blocks.0.context_block.attn.qkv.weight", [1, 1]),
                                                        ("text_encoders.clip_l.transformer.text_model.final_layer_norm.weight", [1])])
                == "sd3.safetensors is an SD3 checkpoint; supported families: SD1.x")
        #expect(try Self.checkpoint("flux1-schnell.safetensors", Self.flux("model.diffusion_model.", dev: false)
                                    + [("vae.decoder.conv_in.weight", [1, 16, 1, 1])])
                == "flux1-schnell.safetensors is a Flux checkpoint (schnell: no guidance embedding); supported families: SD1.x")
    }

    @Test func otherPartsInCheckpointLoaderSimpleNameTheirLoader() throws {
        #expect(try Self.checkpoint("unet.safetensors", Self.unet(""))
                == "unet.safetensors is an SD1.x diffusion model, not a checkpoint: load it with UNETLoader")
        #expect(try Self.checkpoint("flux1-dev.safetensors", Self.flux())
                == "flux1-dev.safetensors is a Flux diffusion model (dev: guidance embedding); supported families: SD1.x")
        #expect(try Self.checkpoint("clip_l.safetensors", Self.clipL)
                == "clip_l.safetensors is a CLIP-L text encoder, not a checkpoint: load it with CLIPLoader")
        #expect(try Self.checkpoint("style.safetensors", [("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", [4, 1])])
                == "style.safetensors is a LoRA, not a checkpoint: load it with LoraLoader")
        #expect(try Self.checkpoint("odd.safetensors", [("something.weight", [2])])
                == "odd.safetensors is not a checkpoint of a family SwiftComfy knows (supported: SD1.x): "
                + "found 1 tensors, first: something.weight")
    }

    @Test func unetLoaderNamesTheFamilyOrPart() throws {
        #expect(try Self.unetLoader("flux1-dev-fp8.safetensors", Self.flux())
                == "flux1-dev-fp8.safetensors is a Flux diffusion model (dev: guidance embedding); supported families: SD1.x")
        #expect(try Self.unetLoader("sdxl_unet.safetensors", Self.unet("", context: 2048, linear: true, adm: 2816))
                == "sdxl_unet.safetensors is an SDXL diffusion model; supported families: SD1.x")
        #expect(try Self.unetLoader("clip_l.safetensors", Self.clipL)
                == "clip_l.safetensors is a CLIP-L text encoder, not a diffusion model: load it with CLIPLoader")
    }

    /// weight_dtype is read and checked against what the family can hold (before any weight is read).
    @Test func unetLoaderRefusesFP8ForSD1x() throws {
        #expect(try Self.unetLoader("unet.safetensors", Self.unet(""), dtype: "fp8_e4m3fn")
                == "weight_dtype 'fp8_e4m3fn' is not supported for SD1.x diffusion models yet (use 'default')")
    }

    @Test func vaeLoaderNamesAModelOfAnotherPart() throws {
        let root = try Self.models(["vae/flux1-dev.safetensors": Self.flux()])
        #expect(try Self.refusal(VAELoader.self, ["vae_name": .string("flux1-dev.safetensors")], models: root)
                == "flux1-dev.safetensors is a Flux diffusion model (dev: guidance embedding); supported families: SD1.x")
    }

    @Test func textEncoderLoadersGoByTypeAndDetectedEncoders() throws {
        let root = try Self.models(["text_encoders/clip_l.safetensors": Self.clipL, "text_encoders/t5xxl.safetensors": Self.t5XXL,
                                    "text_encoders/clip_h.safetensors": Self.clipH])
        func dual(_ type: String) throws -> String {
            try Self.refusal(DualCLIPLoader.self, ["clip_name1": .string("clip_l.safetensors"),
                                                   "clip_name2": .string("t5xxl.safetensors"), "type": .string(type)], models: root)
        }
        #expect(try dual("flux") == "clip_l.safetensors (CLIP-L) + t5xxl.safetensors (T5-XXL) with DualCLIPLoader type 'flux' "
                + "are the Flux text encoders; supported families: SD1.x")
        #expect(try dual("sdxl") == "DualCLIPLoader type 'sdxl' takes CLIP-L + CLIP-G; "
                + "got clip_l.safetensors (CLIP-L), t5xxl.safetensors (T5-XXL)")
        #expect(try dual("hidream") == "DualCLIPLoader type 'hidream' belongs to no family SwiftComfy knows; supported families: SD1.x")
        #expect(try Self.refusal(CLIPLoader.self, ["clip_name": .string("clip_h.safetensors"), "type": .string("stable_diffusion")],
                                 models: root)
                == "clip_h.safetensors (CLIP-H) with CLIPLoader type 'stable_diffusion' is the SD2.x text encoder; "
                + "supported families: SD1.x")
        #expect(try Self.refusal(CLIPLoader.self, ["clip_name": .string("t5xxl.safetensors"), "type": .string("stable_diffusion")],
                                 models: root)
                == "CLIPLoader type 'stable_diffusion' takes CLIP-L or CLIP-H or CLIP-G; got t5xxl.safetensors (T5-XXL)")
    }

    /// latent_formats.py: Flux process_in(z) = (z - 0.1159) * 0.3611, process_out its inverse; SD15 a plain scale.
    @Test func latentFormatsAreComfyUIs() {
        let z = Tensor(shape: [1, 1, 1, 2], scalars: [1, -2])
        #expect(LatentFormat.flux.processIn(z).scalars == [(1 - 0.1159 as Float) * 0.3611, (-2 - 0.1159 as Float) * 0.3611])
        #expect(LatentFormat.flux.processOut(z).scalars == [1 / 0.3611 + 0.1159 as Float, -2 / 0.3611 + 0.1159 as Float])
        #expect(LatentFormat.sd15.processIn(z).scalars == [0.18215, -2 * 0.18215 as Float])
        #expect(ModelFamily.flux.latentFormat.channels == 16 && ModelFamily.flux.latentFormat.rgbFactors.count == 16)
        #expect(ModelFamily.sd15.latentFormat.rgbFactorsBias == nil && LatentFormat.sdxl.rgbFactorsBias == [0.1084, -0.0175, -0.0011])
    }

    /// model_base.Flux.extra_conds: guidance defaults to 3.5, pooled becomes `y`, the context is
    /// CONDRegular (entries of different token counts do not batch).
    @Test func fluxConditioningIsBuiltAsComfyUIDoes() throws {
        let build = try #require(ModelFamily.flux.conditioning)
        let site = ConditioningSite(latentShape: [1, 16, 32, 32])
        let entry = ConditioningValue.Entry(cond: Tensor(shape: [1, 256, 8], repeating: 1), pooled: Tensor(shape: [1, 4], repeating: 2))
        let c = try build(entry, site)
        #expect(c[.guidance]?.scalars == [3.5])
        #expect(c[.y]?.shape == [1, 4])
        var guided = entry
        guided.guidance = 2
        #expect(try build(guided, site)[.guidance]?.scalars == [2])
        #expect(c.inputs[.crossAttention]?.concat == .regular)
        #expect(try ModelFamily.sd15.conditioning.map { try $0(entry, site) }?.inputs[.crossAttention]?.concat == .crossAttention)
    }

    /// Through `swiftcomfy run`'s runner: the prompt validates (the file exists), the loader node
    /// fails naming the family, and the run ends with a node failure (exit status 2), nothing loaded.
    @Test func anSDXLCheckpointFailsTheRunWithANodeError() throws {
        let root = try Self.models(["checkpoints/sdxl.safetensors": Self.unet(context: 2048, linear: true, adm: 2816) + Self.clipParts])
        let tmp = FileManager.default.temporaryDirectory
        let runner = WorkflowRunner(environment: RunEnvironment(models: ModelFolders(roots: [root]), outputDirectory: tmp,
                                                                inputDirectory: tmp, tempDirectory: tmp))
        let prompt = try WorkflowLoader.load(data: Data("""
            {"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl.safetensors"}},
             "2": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
             "3": {"class_type": "VAEDecode", "inputs": {"samples": ["2", 0], "vae": ["1", 2]}},
             "4": {"class_type": "PreviewImage", "inputs": {"images": ["3", 0]}}}
            """.utf8)).prompt
        let failure = try #require(throws: RunFailure.self) { try runner.run(prompt) }
        #expect(failure.exitCode == 2)
        guard case .nodeFailed(let node) = failure else { Issue.record("expected a node failure, got \(failure)"); return }
        #expect(node.description == "node 1 (CheckpointLoaderSimple) failed: sdxl.safetensors is an SDXL checkpoint; "
                + "supported families: SD1.x")
    }

    /// model_base.SDXL.encode_adm: `y` = pooled (1280) + Timestep(256) of (h, w, 0, 0, h, w) with
    /// h, w = latent * 8; embedding = [cos(t·f_i), sin(t·f_i)], f_0 = 1 (util.py timestep_embedding).
    @Test func sdxlConditioningCarriesPooledAndSizeEmbedding() throws {
        let build = try #require(ModelFamily.sdxl.conditioning)
        let entry = ConditioningValue.Entry(cond: Tensor(shape: [1, 77, 2048], repeating: 1),
                                            pooled: Tensor(shape: [1, 1280], repeating: 0.5))
        let c = try build(entry, ConditioningSite(latentShape: [1, 4, 64, 96]))   // 768 x 512 pixels
        let y = try #require(c[.y]).scalars
        #expect(y.count == 2816)
        #expect(y[0..<1280].allSatisfy { $0 == 0.5 })
        let close = { (a: Float, b: Double) in abs(Double(a) - b) < 1e-6 }               // Float cos/sin vs Double
        #expect(close(y[1280], cos(512)) && close(y[1280 + 128], sin(512)))              // height 512, f_0 = 1
        #expect(close(y[1280 + 256], cos(768)))                                          // width 768
        #expect(y[1280 + 512] == 1 && y[1280 + 512 + 128] == 0)                          // crop_h 0
        #expect(c.inputs[.crossAttention]?.concat == .crossAttention && c.inputs[.y]?.concat == .regular)
    }
}
