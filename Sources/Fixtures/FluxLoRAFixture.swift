/// The Flux LoRA formats make_fixtures.py writes (`lora flux-kohya`, `lora flux-diffusers`).
public enum FluxLoRAFixtureKind: String, CaseIterable, Sendable {
    /// kohya names (`lora_unet_double_blocks_0_img_attn_qkv`), lora_down / lora_up / alpha.
    case kohya = "flux-kohya"
    /// diffusers/PEFT names as AWPortrait-FL ships them (`transformer.transformer_blocks.0.attn.to_q`),
    /// lora_A / lora_B, no alpha.
    case diffusers = "flux-diffusers"
}

/// Matches make_fixtures.py `flux_lora_targets` and `cmd_flux_lora`: the layers of the 2 + 2 block
/// fixture transformer each kind touches, and its tensors (LoRA rule, stored F16).
enum FluxLoRAFixture {
    /// (LoRA key prefix, [out, in]) of every layer the kind touches.
    static func targets(_ kind: FluxLoRAFixtureKind, double: Int = 2, single: Int = 2) -> [(String, [Int])] {
        let h = FluxLayout.hidden, m = FluxLayout.mlp
        var targets: [(String, [Int])] = []
        switch kind {
        case .kohya:
            for i in 0..<double {
                for stream in ["img", "txt"] {
                    for (name, shape) in [("attn_qkv", [3 * h, h]), ("attn_proj", [h, h]), ("mlp_0", [m, h]),
                                          ("mlp_2", [h, m]), ("mod_lin", [6 * h, h])] {
                        targets.append(("lora_unet_double_blocks_\(i)_\(stream)_\(name)", shape))
                    }
                }
            }
            for i in 0..<single {
                for (name, shape) in [("linear1", [3 * h + m, h]), ("linear2", [h, h + m]), ("modulation_lin", [3 * h, h])] {
                    targets.append(("lora_unet_single_blocks_\(i)_\(name)", shape))
                }
            }
        case .diffusers:
            for i in 0..<double {
                let p = "transformer.transformer_blocks.\(i)."
                let square = ["attn.to_q", "attn.to_k", "attn.to_v", "attn.to_out.0",
                              "attn.add_q_proj", "attn.add_k_proj", "attn.add_v_proj", "attn.to_add_out"]
                targets += square.map { (p + $0, [h, h]) }
                targets += [(p + "ff.net.0.proj", [m, h]), (p + "ff.net.2", [h, m]),
                            (p + "ff_context.net.0.proj", [m, h]), (p + "ff_context.net.2", [h, m]),
                            (p + "norm1.linear", [6 * h, h]), (p + "norm1_context.linear", [6 * h, h])]
            }
            for i in 0..<single {
                let p = "transformer.single_transformer_blocks.\(i)."
                targets += [(p + "attn.to_q", [h, h]), (p + "attn.to_k", [h, h]), (p + "attn.to_v", [h, h]),
                            (p + "proj_mlp", [m, h]), (p + "proj_out", [h, h + m]), (p + "norm.linear", [3 * h, h])]
            }
        }
        return targets
    }

    static func tensors(_ kind: FluxLoRAFixtureKind, rank r: Int, seed: Int) -> [FixtureTensor] {
        func small(_ key: String, _ shape: [Int]) -> FixtureTensor {
            FixtureTensor(key: key, shape: shape, values: .loraRule(shape: shape), seed: seed)
        }
        var out: [FixtureTensor] = []
        for (k, shape) in targets(kind) {
            let (outFeatures, inFeatures) = (shape[0], shape[1])
            switch kind {
            case .kohya:
                out += [small(k + ".lora_down.weight", [r, inFeatures]), small(k + ".lora_up.weight", [outFeatures, r]),
                        FixtureTensor(key: k + ".alpha", shape: [], values: .constant(Float(Double(r) / 2)), seed: seed)]
            case .diffusers:
                out += [small(k + ".lora_A.weight", [r, inFeatures]), small(k + ".lora_B.weight", [outFeatures, r])]
            }
        }
        return out
    }

    /// The kohya file's `__metadata__` (none for diffusers).
    static func metadata(_ kind: FluxLoRAFixtureKind, rank: Int) -> [(String, String)] {
        kind == .kohya ? [("ss_network_module", "networks.lora_flux"), ("ss_network_dim", String(rank))] : []
    }
}
