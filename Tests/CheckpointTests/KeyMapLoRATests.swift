import Checkpoint
import Testing

/// Oracle: the LoRA names ComfyUI 0.8.0 comfy/lora.py model_lora_keys_unet/_clip builds for SD1.5
/// (read off its source), plus the PEFT attention spelling SwiftComfy adds. Exact string checks.
struct KeyMapLoRATests {
    static let unet = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight"
    static let proj = "model.diffusion_model.input_blocks.1.1.proj_in.weight"
    static let conv = "model.diffusion_model.input_blocks.1.0.in_layers.2.weight"
    static let out0 = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_out.0.weight"
    static let fc1 = "cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.weight"

    static let map = LoRAKeyMap(modelKeys: [unet, proj, conv, out0, fc1], unetLayout: .sd15)

    @Test(arguments: [
        ("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", unet),
        ("lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_q", unet),
        ("lycoris_down_blocks_0_attentions_0_proj_in", proj),
        ("lora_unet_down_blocks_0_resnets_0_conv1", conv),
        ("lora_te_text_model_encoder_layers_0_mlp_fc1", fc1),
        ("lora_te1_text_model_encoder_layers_0_mlp_fc1", fc1),
        ("unet.down_blocks.0.attentions.0.proj_in", proj),
        ("down_blocks.0.attentions.0.proj_in", proj),
        ("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_q", unet),
        ("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_out", out0),
        ("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q", unet),
        ("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_out.0", out0),
        ("diffusion_model.input_blocks.1.1.proj_in", proj),
        ("text_encoder.text_model.encoder.layers.0.mlp.fc1", fc1),
    ])
    func moduleNameMapsToModelKey(name: String, key: String) {
        #expect(Self.map[name] == key)
    }

    @Test func plainPEFTAttentionNamesAreMarkedAsComfyUISkips() {
        #expect(Self.map.comfyUISkips.contains("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q"))
        #expect(!Self.map.comfyUISkips.contains("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_q"))
        #expect(!Self.map.comfyUISkips.contains("unet.down_blocks.0.attentions.0.proj_in"))
        #expect(!Self.map.comfyUISkips.contains("diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q"))
    }

    @Test func olderTextEncoderSpellingGetsTheSameNames() {
        let old = "cond_stage_model.transformer.encoder.layers.3.self_attn.q_proj.weight"
        let map = LoRAKeyMap(modelKeys: [old])
        #expect(map["lora_te_text_model_encoder_layers_3_self_attn_q_proj"] == old)
        #expect(map["text_encoder.text_model.encoder.layers.3.self_attn.q_proj"] == old)
    }

    @Test(arguments: [
        ("lora_unet_x.lora_up.weight", "lora_unet_x", LoRATensorRole.up),
        ("lora_unet_x.lora_down.weight", "lora_unet_x", .down),
        ("lora_unet_x.alpha", "lora_unet_x", .alpha),
        ("lora_unet_x.dora_scale", "lora_unet_x", .doraScale),
        ("unet.a.b.lora_A.weight", "unet.a.b", .down),
        ("unet.a.b.lora_B.weight", "unet.a.b", .up),
        ("a.b.lora.up.weight", "a.b", .up),
        ("a.to_q_lora.down.weight", "a.to_q", .down),
        ("a.b.lora_B", "a.b", .up),
        ("lora_unet_x.hada_w2_b", "lora_unet_x", .hadaW2B),
        ("lora_unet_x.lokr_w1", "lora_unet_x", .lokrW1),
        ("lora_unet_x.lokr_w1_a", "lora_unet_x", .lokrW1A),
    ])
    func tensorKeySplitsIntoModuleAndRole(key: String, module: String, role: LoRATensorRole) throws {
        let split = try #require(LoRAKeyMap.split(key))
        #expect(split.module == module && split.role == role)
    }

    @Test func unknownTensorNamesDoNotSplit() {
        #expect(LoRAKeyMap.split("lora_unet_x.something") == nil)
        #expect(LoRAKeyMap.split(".alpha") == nil)
    }
}
