import Checkpoint

/// The Flux.1 fixture files' keys, shapes and storage dtypes (make_fixtures.py `flux_dit_layout`,
/// `clip_l_layout`, `t5xxl_layout`, `flux_tags`, `ALIAS`; reference README, "Flux.1 files").
public enum FluxLayout {
    /// One stored tensor: its key, shape, dtype, and the key its values are generated under
    /// (another key's for a tied copy).
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let shape: [Int]
        public let dtype: DType
        public let valuesKey: String
    }

    static let hidden = 3072, heads = 24, mlp = 12288, context = 4096, vector = 768, inChannels = 64, timeDim = 256

    /// The BFL Flux.1-dev transformer (`flux1-dev-fp8.safetensors` names), full widths, `double` +
    /// `single` blocks: every matrix F8_E4M3, every 1-D tensor (biases, RMSNorm scales) BF16.
    public static func dit(double: Int = 2, single: Int = 2, guidance: Bool = true) -> [Entry] {
        let h = hidden, m = mlp, headDim = hidden / heads
        var shapes: [(String, [Int])] = []
        func linear(_ name: String, _ outFeatures: Int, _ inFeatures: Int) {
            shapes += [(name + ".weight", [outFeatures, inFeatures]), (name + ".bias", [outFeatures])]
        }
        linear("img_in", h, inChannels)
        linear("txt_in", h, context)
        var embedders = [("time_in", timeDim), ("vector_in", vector)]
        if guidance { embedders.append(("guidance_in", timeDim)) }
        for (name, width) in embedders {
            linear(name + ".in_layer", h, width)
            linear(name + ".out_layer", h, h)
        }
        for i in 0..<double {
            for stream in ["img", "txt"] {
                let p = "double_blocks.\(i).\(stream)_"
                linear(p + "mod.lin", 6 * h, h)
                linear(p + "attn.qkv", 3 * h, h)
                shapes += [(p + "attn.norm.query_norm.scale", [headDim]), (p + "attn.norm.key_norm.scale", [headDim])]
                linear(p + "attn.proj", h, h)
                linear(p + "mlp.0", m, h)
                linear(p + "mlp.2", h, m)
            }
        }
        for i in 0..<single {
            let p = "single_blocks.\(i)."
            linear(p + "linear1", 3 * h + m, h)
            linear(p + "linear2", h, h + m)
            shapes += [(p + "norm.query_norm.scale", [headDim]), (p + "norm.key_norm.scale", [headDim])]
            linear(p + "modulation.lin", 3 * h, h)
        }
        linear("final_layer.linear", inChannels, h)
        linear("final_layer.adaLN_modulation.1", 2 * h, h)
        return shapes.map { Entry(key: $0.0, shape: $0.1, dtype: $0.1.count >= 2 ? .f8e4m3fn : .bf16, valuesKey: $0.0) }
    }

    /// HF `CLIPTextModel` (the CLIP-L text tower of `clip_l.safetensors`), every tensor F16.
    public static func clipL() -> [Entry] {
        let d = 768, f = 3072
        var shapes: [(String, [Int])] = [
            ("text_model.embeddings.token_embedding.weight", [49408, d]),
            ("text_model.embeddings.position_embedding.weight", [77, d]),
        ]
        for i in 0..<12 {
            let p = "text_model.encoder.layers.\(i)."
            for n in ["q_proj", "k_proj", "v_proj", "out_proj"] {
                shapes += [(p + "self_attn.\(n).weight", [d, d]), (p + "self_attn.\(n).bias", [d])]
            }
            for n in ["layer_norm1", "layer_norm2"] { shapes += [(p + n + ".weight", [d]), (p + n + ".bias", [d])] }
            shapes += [(p + "mlp.fc1.weight", [f, d]), (p + "mlp.fc1.bias", [f]),
                       (p + "mlp.fc2.weight", [d, f]), (p + "mlp.fc2.bias", [d])]
        }
        shapes += [("text_model.final_layer_norm.weight", [d]), ("text_model.final_layer_norm.bias", [d])]
        return shapes.map { Entry(key: $0.0, shape: $0.1, dtype: .f16, valuesKey: $0.0) }
    }

    /// The tied copy T5 files carry, generated under the other key's name (make_fixtures.py `ALIAS`).
    public static let tied = ["encoder.embed_tokens.weight": "shared.weight"]

    /// The T5 v1.1 XXL encoder (`t5xxl_fp8_e4m3fn.safetensors`), every tensor F8_E4M3, with the
    /// tied `encoder.embed_tokens.weight` copy of `shared.weight`.
    public static func t5xxl() -> [Entry] {
        let d = 4096, f = 10240
        var shapes: [(String, [Int])] = [("shared.weight", [32128, d])]
        for i in 0..<24 {
            let p = "encoder.block.\(i).layer."
            for n in ["q", "k", "v", "o"] { shapes.append((p + "0.SelfAttention.\(n).weight", [d, d])) }
            if i == 0 { shapes.append((p + "0.SelfAttention.relative_attention_bias.weight", [32, 64])) }
            shapes += [(p + "0.layer_norm.weight", [d]),
                       (p + "1.DenseReluDense.wi_0.weight", [f, d]), (p + "1.DenseReluDense.wi_1.weight", [f, d]),
                       (p + "1.DenseReluDense.wo.weight", [d, f]), (p + "1.layer_norm.weight", [d])]
        }
        shapes += [("encoder.final_layer_norm.weight", [d]), ("encoder.embed_tokens.weight", [32128, d])]
        return shapes.map { Entry(key: $0.0, shape: $0.1, dtype: .f8e4m3fn, valuesKey: tied[$0.0] ?? $0.0) }
    }

    /// Writer items for `entries` (values by make_fixtures.py `flux_rule`, from each entry's
    /// `valuesKey` stream).
    public static func items(_ entries: [Entry], seed: Int) -> [SafeTensorsWriter.Item] {
        entries.map { e in
            FixtureTensor(key: e.valuesKey, shape: e.shape, values: .fluxRule(key: e.valuesKey, shape: e.shape), seed: seed)
                .item(stored: e.dtype, storedKey: e.key)
        }
    }
}
