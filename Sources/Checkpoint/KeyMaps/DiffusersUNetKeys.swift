// Matches ComfyUI 0.8.0 comfy/utils.py unet_to_diffusers: diffusers UNet names -> LDM (single-file) names.

/// The block structure of an LDM UNet: how many res blocks per level and how deep each spatial
/// transformer is. All `DiffusersUNetKeys` needs; the same numbers as ComfyUI's unet_config.
public struct UNetBlockLayout: Equatable, Sendable {
    /// num_res_blocks, one entry per level (channel_mult count).
    public var resBlocksPerLevel: [Int]
    /// Transformer depth of each input res block, in input_blocks order (0 = no attention).
    public var inputDepth: [Int]
    /// Transformer depth of the middle block.
    public var middleDepth: Int
    /// Transformer depth of each output block, in output_blocks order (0 = no attention).
    /// (ComfyUI's transformer_depth_output lists the same numbers in reverse.)
    public var outputDepth: [Int]

    public init(resBlocksPerLevel: [Int], inputDepth: [Int], middleDepth: Int, outputDepth: [Int]) {
        self.resBlocksPerLevel = resBlocksPerLevel
        self.inputDepth = inputDepth
        self.middleDepth = middleDepth
        self.outputDepth = outputDepth
    }

    /// SD1.x / SD2.x.
    public static let sd15 = UNetBlockLayout(resBlocksPerLevel: [2, 2, 2, 2], inputDepth: [1, 1, 1, 1, 1, 1, 0, 0],
                                             middleDepth: 1, outputDepth: [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    /// SDXL base.
    public static let sdxl = UNetBlockLayout(resBlocksPerLevel: [2, 2, 2], inputDepth: [0, 0, 2, 2, 10, 10],
                                             middleDepth: 10, outputDepth: [10, 10, 10, 2, 2, 2, 0, 0, 0])

    /// Reads the layout from a model's keys (`<prefix>input_blocks.N...`), shapes not needed.
    /// Nil when the keys hold no LDM UNet (no `input_blocks.1`).
    public init?(detectingFrom keys: Set<String>, prefix: String = "model.diffusion_model.") {
        func depth(_ block: String) -> Int {
            var t = 0
            while keys.contains("\(prefix)\(block).transformer_blocks.\(t).attn1.to_q.weight") { t += 1 }
            return t
        }
        func isRes(_ block: String) -> Bool { keys.contains("\(prefix)\(block).in_layers.2.weight") }
        var levels: [Int] = [], inDepth: [Int] = [], count = 0, n = 1
        while true {
            if isRes("input_blocks.\(n).0") {
                count += 1
                inDepth.append(depth("input_blocks.\(n).1"))
            } else if keys.contains("\(prefix)input_blocks.\(n).0.op.weight") {
                levels.append(count); count = 0
            } else { break }
            n += 1
        }
        guard count > 0 || !levels.isEmpty else { return nil }
        levels.append(count)
        var outDepth: [Int] = [], o = 0
        while isRes("output_blocks.\(o).0") { outDepth.append(depth("output_blocks.\(o).1")); o += 1 }
        self.init(resBlocksPerLevel: levels, inputDepth: inDepth, middleDepth: depth("middle_block.1"),
                  outputDepth: outDepth)
    }
}

/// Diffusers UNet parameter names -> LDM names (without the `model.diffusion_model.` prefix),
/// generated from the block layout as ComfyUI does. Like ComfyUI's map, it also names a few
/// tensors a given model may lack (`conv_shortcut` where channels do not change, `add_embedding`).
public enum DiffusersUNetKeys {
    static let attention = ["proj_in.weight", "proj_in.bias", "proj_out.weight", "proj_out.bias",
                            "norm.weight", "norm.bias"]
    static let transformerBlock = ["norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "norm3.weight",
                                   "norm3.bias", "attn1.to_q.weight", "attn1.to_k.weight", "attn1.to_v.weight",
                                   "attn1.to_out.0.weight", "attn1.to_out.0.bias", "attn2.to_q.weight",
                                   "attn2.to_k.weight", "attn2.to_v.weight", "attn2.to_out.0.weight",
                                   "attn2.to_out.0.bias", "ff.net.0.proj.weight", "ff.net.0.proj.bias",
                                   "ff.net.2.weight", "ff.net.2.bias"]
    /// LDM ResBlock name -> diffusers ResnetBlock2D name.
    static let resnet: [(ldm: String, diffusers: String)] = [
        ("in_layers.0", "norm1"), ("in_layers.2", "conv1"), ("emb_layers.1", "time_emb_proj"),
        ("out_layers.0", "norm2"), ("out_layers.3", "conv2"), ("skip_connection", "conv_shortcut"),
    ]
    /// (LDM, diffusers) names outside the blocks; SDXL's `label_emb` has two diffusers spellings.
    static let basic: [(ldm: String, diffusers: String)] = [
        ("label_emb.0.0", "class_embedding.linear_1"), ("label_emb.0.2", "class_embedding.linear_2"),
        ("label_emb.0.0", "add_embedding.linear_1"), ("label_emb.0.2", "add_embedding.linear_2"),
        ("input_blocks.0.0", "conv_in"), ("out.0", "conv_norm_out"), ("out.2", "conv_out"),
        ("time_embed.0", "time_embedding.linear_1"), ("time_embed.2", "time_embedding.linear_2"),
    ]

    /// diffusers name (e.g. `down_blocks.0.attentions.0.proj_in.weight`) -> LDM name
    /// (`input_blocks.1.1.proj_in.weight`).
    public static func map(_ layout: UNetBlockLayout) -> [String: String] {
        var map: [String: String] = [:]
        func res(_ d: String, _ l: String) {
            for (ldm, dif) in resnet { for p in ["weight", "bias"] { map["\(d).\(dif).\(p)"] = "\(l).\(ldm).\(p)" } }
        }
        func attn(_ d: String, _ l: String, depth: Int) {
            for b in attention { map["\(d).\(b)"] = "\(l).\(b)" }
            for t in 0..<depth {
                for b in transformerBlock { map["\(d).transformer_blocks.\(t).\(b)"] = "\(l).transformer_blocks.\(t).\(b)" }
            }
        }
        var inDepth = layout.inputDepth[...]
        for (level, count) in layout.resBlocksPerLevel.enumerated() {
            var n = 1 + (count + 1) * level
            for i in 0..<count {
                res("down_blocks.\(level).resnets.\(i)", "input_blocks.\(n).0")
                let depth = inDepth.popFirst() ?? 0
                if depth > 0 { attn("down_blocks.\(level).attentions.\(i)", "input_blocks.\(n).1", depth: depth) }
                n += 1
            }
            for p in ["weight", "bias"] { map["down_blocks.\(level).downsamplers.0.conv.\(p)"] = "input_blocks.\(n).0.op.\(p)" }
        }
        attn("mid_block.attentions.0", "middle_block.1", depth: layout.middleDepth)
        res("mid_block.resnets.0", "middle_block.0")
        res("mid_block.resnets.1", "middle_block.2")
        var outDepth = layout.outputDepth[...]
        for (level, count) in layout.resBlocksPerLevel.reversed().enumerated() {
            var n = (count + 1) * level
            for i in 0...count {
                res("up_blocks.\(level).resnets.\(i)", "output_blocks.\(n).0")
                let depth = outDepth.popFirst() ?? 0
                if depth > 0 { attn("up_blocks.\(level).attentions.\(i)", "output_blocks.\(n).1", depth: depth) }
                if i == count {
                    let c = depth > 0 ? 2 : 1
                    for p in ["weight", "bias"] { map["up_blocks.\(level).upsamplers.0.conv.\(p)"] = "output_blocks.\(n).\(c).conv.\(p)" }
                }
                n += 1
            }
        }
        for (ldm, dif) in basic { for p in ["weight", "bias"] { map["\(dif).\(p)"] = "\(ldm).\(p)" } }
        return map
    }
}
