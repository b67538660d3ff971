import Foundation

/// The LoRA formats make_fixtures.py writes (its `lora` KIND argument).
public enum LoRAFixtureKind: String, CaseIterable, Sendable {
    case kohya, locon, loha, lokr, peft, dora
    case teOnly = "te-only"

    /// Whether the kind touches the UNet's 3x3 resnet convolutions.
    var includesResnetConvs: Bool { [.locon, .loha, .lokr].contains(self) }
    /// Whether the kind touches the text encoder.
    var includesTextEncoder: Bool { [.kohya, .teOnly, .dora, .peft].contains(self) }
}

/// Matches make_fixtures.py `lora_targets` and `cmd_lora`: which layers each kind touches, and
/// the keys, shapes and values of its tensors.
enum LoRAFixture {
    /// A layer a LoRA touches: kohya name, checkpoint key stem, checkpoint shape, source name
    /// (diffusers path for the UNet, "text_model.encoder.layers..." for the text encoder).
    struct Target {
        let loraKey: String
        let shape: [Int]
        let sourceName: String
        var isTextEncoder: Bool { loraKey.hasPrefix("lora_te_") }
    }

    static func targets(_ kind: LoRAFixtureKind) throws -> [Target] {
        let layout = try SD15Layout.checkpointShapes()
        var targets: [Target] = []
        if kind != .teOnly {
            for (diffusers, ldm) in try SD15Layout.unetDiffusersMap() where diffusers.hasSuffix(".weight") {
                guard let shape = layout["model.diffusion_model." + ldm] else { continue }
                let stem = String(diffusers.dropLast(".weight".count))
                let inTransformer = diffusers.contains(".attentions.")
                    && (diffusers.contains(".transformer_blocks.") || diffusers.contains("proj_in")
                        || diffusers.contains("proj_out"))
                let resnetConv = shape.count == 4 && shape[2] == 3 && diffusers.contains(".resnets.")
                if (inTransformer && (shape.count == 2 || shape.count == 4)) || (kind.includesResnetConvs && resnetConv) {
                    targets.append(Target(loraKey: "lora_unet_" + stem.replacingOccurrences(of: ".", with: "_"),
                                          shape: shape, sourceName: stem))
                }
            }
        }
        if kind.includesTextEncoder {
            // The layout may spell the text encoder with or without "text_model."; LoRA names
            // always use the canonical "text_model.encoder.layers..." path.
            let prefixes = ["cond_stage_model.transformer.text_model.encoder.layers.",
                            "cond_stage_model.transformer.encoder.layers."]
            for (key, shape) in layout where key.hasSuffix(".weight") && shape.count == 2 {
                guard let prefix = prefixes.first(where: { key.hasPrefix($0) }) else { continue }
                let rest = key.dropFirst(prefix.count).dropLast(".weight".count)
                let source = "text_model.encoder.layers." + rest
                targets.append(Target(loraKey: "lora_te_" + source.replacingOccurrences(of: ".", with: "_"),
                                      shape: shape, sourceName: source))
            }
        }
        return targets
    }

    static func tensors(_ kind: LoRAFixtureKind, rank r: Int, seed: Int) throws -> [FixtureTensor] {
        func small(_ key: String, _ shape: [Int]) -> FixtureTensor {
            FixtureTensor(key: key, shape: shape, values: .loraRule(shape: shape), seed: seed)
        }
        func alpha(_ key: String, _ value: Double) -> FixtureTensor {
            FixtureTensor(key: key + ".alpha", shape: [], values: .constant(Float(value)), seed: seed)
        }
        var out: [FixtureTensor] = []
        for t in try targets(kind) {
            let k = t.loraKey, outFeatures = t.shape[0], inFeatures = t.shape.dropFirst().reduce(1, *)
            let conv = t.shape.count == 4
            switch kind {
            case .peft:
                let p = (t.isTextEncoder ? "text_encoder." : "unet.") + t.sourceName
                out += [small(p + ".lora_A.weight", [r, inFeatures]), small(p + ".lora_B.weight", [outFeatures, r])]
            case .loha:
                out += [small(k + ".hada_w1_a", [outFeatures, r]), small(k + ".hada_w2_a", [outFeatures, r]),
                        small(k + ".hada_w1_b", [r, inFeatures]), small(k + ".hada_w2_b", [r, inFeatures]),
                        alpha(k, Double(r) / 2)]
            case .lokr:
                let f = outFeatures % 4 == 0 && inFeatures % 4 == 0 ? 4 : 1
                out += [small(k + ".lokr_w1", [f, f]), small(k + ".lokr_w2_a", [outFeatures / f, r]),
                        small(k + ".lokr_w2_b", [r, inFeatures / f]), alpha(k, Double(r))]
            case .kohya, .locon, .dora, .teOnly:
                let down = conv ? [r, t.shape[1], t.shape[2], t.shape[3]] : [r, inFeatures]
                let up = conv ? [outFeatures, r, 1, 1] : [outFeatures, r]
                out += [small(k + ".lora_down.weight", down), small(k + ".lora_up.weight", up), alpha(k, Double(r) / 2)]
                if kind == .dora {
                    // One magnitude per output channel: [out, 1] for linear layers, [out, 1, 1, 1] for convs.
                    out.append(FixtureTensor(key: k + ".dora_scale", shape: conv ? [outFeatures, 1, 1, 1] : [outFeatures, 1],
                                             values: .doraScale, seed: seed))
                }
            }
        }
        return out
    }
}
