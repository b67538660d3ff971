// Matches ComfyUI 0.8.0 comfy/model_detection.py detect_unet_config for the openaimodel UNet,
// with the head count of comfy/supported_models.py (SD15: num_heads 8, num_head_channels -1).
import Checkpoint
import Logging

/// How the attention width is split into heads (not in the shapes; ComfyUI's supported_models).
public enum AttentionHeads: Equatable, Sendable {
    case count(Int)    // SD1.x: 8 heads of width channels/8
    case width(Int)    // SD2/SDXL: heads of 64 channels

    func heads(channels: Int) -> Int {
        switch self {
        case .count(let n): return n
        case .width(let d): return channels / d
        }
    }
}

/// The UNet's dimensions, read from the checkpoint's shapes.
public struct UNetConfig: Equatable, Sendable {
    public var inChannels = 4, outChannels = 4, modelChannels = 320, contextDim = 768
    public var channelMult = [1, 2, 4, 4]
    public var resBlocks = [2, 2, 2, 2]          // per level
    public var transformerDepth = [1, 1, 1, 0]   // per level; 0 = no attention at that level
    public var middleDepth = 1                   // transformer depth of middle_block.1
    public var linearProjection = false          // proj_in/proj_out are Linear (SD2/SDXL), not 1x1 convs
    public var heads: AttentionHeads = .count(8)

    public init() {}

    public var timeEmbedDim: Int { modelChannels * 4 }

    /// Walks `input_blocks.N` the way detect_unet_config does: a `0.op` block starts a new level,
    /// a `0.in_layers` block adds a ResBlock to the current one.
    public static func detect(in index: TensorIndex, prefix p: String) throws -> UNetConfig {
        var c = UNetConfig()
        let convIn = try index.shape(of: p + ".input_blocks.0.0.weight")        // [model, in, 3, 3]
        (c.modelChannels, c.inChannels) = (convIn[0], convIn[1])
        c.outChannels = try index.shape(of: p + ".out.2.weight")[0]               // [out, model, 3, 3]
        var mult: [Int] = [], blocks: [Int] = [], depth: [Int] = []
        var levelBlocks = 0, levelMult = 0, levelDepth = 0
        for n in 1..<countBlocks(index, prefix: p + ".input_blocks.") {
            let b = "\(p).input_blocks.\(n)."
            if index.contains(b + "0.op.weight") {
                mult.append(levelMult); blocks.append(levelBlocks); depth.append(levelDepth)
                (levelBlocks, levelMult, levelDepth) = (0, 0, 0)
            } else if index.contains(b + "0.in_layers.0.weight") {
                levelBlocks += 1
                levelMult = try index.shape(of: b + "0.out_layers.3.weight")[0] / c.modelChannels
                levelDepth = countBlocks(index, prefix: b + "1.transformer_blocks.")
                if levelDepth > 0 {
                    c.contextDim = try index.shape(of: b + "1.transformer_blocks.0.attn2.to_k.weight")[1]
                    c.linearProjection = try index.shape(of: b + "1.proj_in.weight").count == 2
                }
            }
        }
        mult.append(levelMult); blocks.append(levelBlocks); depth.append(levelDepth)
        (c.channelMult, c.resBlocks, c.transformerDepth) = (mult, blocks, depth)
        c.middleDepth = countBlocks(index, prefix: p + ".middle_block.1.transformer_blocks.")
        c.heads = c.contextDim == 768 ? .count(8) : .width(64)
        Logger(label: "swiftcomfy.models").debug("unet: \(c)")
        return c
    }
}
