import Checkpoint
import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// Oracle: ComfyUI 0.8.0 model_detection.py / supported_models.py SD15 (which keys make an SD1.x
/// checkpoint, which shapes give its config) and ../shared/reference/sd15_layout.json.
@Suite struct SD15ArchitectureTests {
    /// A small safetensors file in a fresh temporary directory holding zero tensors of these shapes.
    static func file(_ name: String, _ tensors: [(String, [Int])]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("models-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try SafeTensorsWriter.write(tensors.map { key, shape in
            SafeTensorsWriter.Item(key: key, floats: [Float](repeating: 0, count: shape.reduce(1, *)), shape: shape)
        }, to: url)
        return url
    }

    static func refusal(_ url: URL) throws -> String {
        let error = try #require(throws: ArchitectureError.self) { try SD15Checkpoint.load(url: url) }
        return error.description
    }

    static let u = "model.diffusion_model."

    /// Which family a non-SD1.x file is, is the family list's business (NodesTests FamilyDetectionTests);
    /// SD15Architecture says how the file differs from SD1.x.
    @Test func sdxlIsRefusedNamingItsADMInput() throws {
        let url = try Self.file("sdxl.safetensors", [(Self.u + "input_blocks.0.0.weight", [320, 4, 3, 3]),
                                                     (Self.u + "out.2.weight", [4, 320, 3, 3]),
                                                     (Self.u + "label_emb.0.0.weight", [1280, 2816])])
        let index = try SD15Checkpoint.index(url: url)
        let error = try #require(throws: ArchitectureError.self) { try SD15Architecture.unetConfig(in: index) }
        #expect(error.description ==
                "sdxl.safetensors is not an SD1.x UNet: found a UNet with a label_emb (ADM) input (SD1.x has none)")
        #expect(!SD15Architecture.holdsUNet(index))
    }

    @Test func fluxIsRefusedListingTheMissingSD1Parts() throws {
        let url = try Self.file("flux.safetensors", [("double_blocks.0.img_attn.qkv.weight", [9, 3])])
        #expect(try Self.refusal(url) == "flux.safetensors is not an SD1.x checkpoint: found no SD1.x parts; 1 tensors, "
                + "first: double_blocks.0.img_attn.qkv.weight; missing " + SD15Architecture.requiredKeys.joined(separator: ", "))
    }

    @Test func sd2IsRefusedByItsContextWidth() throws {
        let b = Self.u + "input_blocks.1."
        let url = try Self.file("sd2.safetensors", [
            (Self.u + "input_blocks.0.0.weight", [320, 4, 3, 3]), (Self.u + "out.2.weight", [4, 320, 3, 3]),
            (b + "0.in_layers.0.weight", [320]), (b + "0.out_layers.3.weight", [320, 320, 3, 3]),
            (b + "1.proj_in.weight", [320, 320, 1, 1]), (b + "1.transformer_blocks.0.attn2.to_k.weight", [320, 1024]),
            ("cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", [1, 4]),
            ("first_stage_model.decoder.conv_in.weight", [1]), ("first_stage_model.encoder.conv_in.weight", [1]),
        ])
        #expect(try Self.refusal(url) ==
                "sd2.safetensors is not an SD1.x UNet: found a UNet with cross-attention context 1024 (SD1.x has 768)")
    }

    @Test func checkpointWithoutVAEListsTheMissingKeys() throws {
        let url = try Self.file("novae.safetensors", [
            (Self.u + "input_blocks.0.0.weight", [320, 4, 3, 3]), (Self.u + "out.2.weight", [4, 320, 3, 3]),
            (Self.u + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", [320, 768]),
            ("cond_stage_model.transformer.embeddings.token_embedding.weight", [1, 4]),   // old spelling
        ])
        #expect(try Self.refusal(url) ==
                "novae.safetensors is not an SD1.x checkpoint: found UNet (model.diffusion_model.*, 3 tensors), "
                + "text encoder (cond_stage_model.transformer.text_model.*, 1 tensors); "
                + "missing first_stage_model.decoder.conv_in.weight, first_stage_model.encoder.conv_in.weight")
    }

    @Test func textEncoderKeysGainTextModelAndPositionIDsAreAccepted() throws {
        let dir = try Self.file("x.safetensors", []).deletingLastPathComponent()
        let url = dir.appendingPathComponent("te.safetensors")
        try SafeTensorsWriter.write([
            .init(key: "cond_stage_model.transformer.embeddings.position_embedding.weight", floats: [0, 0], shape: [1, 2]),
            .init(key: "cond_stage_model.transformer.text_model.final_layer_norm.weight", floats: [1, 1], shape: [2]),
            .init(key: "cond_stage_model.transformer.text_model.embeddings.position_ids", int64: [0], shape: [1, 1]),
        ], to: url)
        let index = try SD15Checkpoint.index(url: url)
        #expect(index.keys == [
            "cond_stage_model.transformer.text_model.embeddings.position_embedding.weight",
            "cond_stage_model.transformer.text_model.embeddings.position_ids",
            "cond_stage_model.transformer.text_model.final_layer_norm.weight",
        ])
    }

    @Test func vaeLoaderRefusesAFileWithoutADecoder() throws {
        let url = try Self.file("notvae.safetensors", [("something.weight", [2])])
        let error = try #require(throws: ArchitectureError.self) { try VAE.load(url: url) }
        #expect(error.description == "notvae.safetensors is not a VAE: found no VAE decoder; "
                + "1 tensors, first: something.weight; missing decoder.conv_in.weight")
    }

    /// The fixture checkpoint has the layout of sd15_layout.json: the configs are SD1.5's and every
    /// tensor is read (position_ids would be marked used too).
    @Test func fixtureCheckpointIsSD15AndFullyRead() throws {
        let ckpt = try ModelFixtures.checkpoint()
        #expect(ckpt.unet.config == UNetConfig())
        #expect(ckpt.clip.config == CLIPConfig())
        #expect(ckpt.vae.config == VAEConfig())
        #expect(ckpt.unusedKeys == [])
    }
}
