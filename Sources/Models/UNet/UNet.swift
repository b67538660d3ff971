// Matches ComfyUI 0.8.0 comfy/ldm/modules/diffusionmodules/openaimodel.py UNetModel (the SD1.x
// configuration: no label embedding, no temporal layers), built in one loop over UNetConfig.
import TensorCore

/// The denoising UNet: eps = UNet(x, t, context).
public struct UNet {
    public let config: UNetConfig
    let timeEmbed1: Linear             // time_embed.0   (time_embed.1 is SiLU)
    let timeEmbed2: Linear             // time_embed.2
    let inputBlocks: [InputBlock]      // input_blocks.N
    let middle: MiddleBlock            // middle_block
    let outputBlocks: [OutputBlock]    // output_blocks.N
    let outNorm: GroupNorm             // out.0          (out.1 is SiLU)
    let outConv: Conv2d                // out.2

    public init(_ w: WeightScope, config c: UNetConfig) throws {
        config = c
        let e = c.timeEmbedDim, mc = c.modelChannels
        timeEmbed1 = try Linear(w["time_embed.0"], in: mc, out: e)
        timeEmbed2 = try Linear(w["time_embed.2"], in: e, out: e)
        func transformer(_ s: WeightScope, _ ch: Int, depth: Int) throws -> SpatialTransformer? {
            guard depth > 0 else { return nil }
            return try SpatialTransformer(s, channels: ch, depth: depth, context: c.contextDim,
                                          heads: c.heads.heads(channels: ch), linear: c.linearProjection)
        }

        var ch = mc, skips = [mc], n = 1
        var inputs = [InputBlock.convIn(try Conv2d(w["input_blocks.0.0"], in: c.inChannels, out: mc,
                                                   kernel: 3, padding: 1))]
        for (level, mult) in c.channelMult.enumerated() {
            for _ in 0..<c.resBlocks[level] {
                let b = w["input_blocks"][n], out = mult * mc
                inputs.append(.layer(try ResBlock(b["0"], channels: ch, out: out, embedding: e),
                                     try transformer(b["1"], out, depth: c.transformerDepth[level])))
                (ch, n) = (out, n + 1)
                skips.append(ch)
            }
            if level != c.channelMult.count - 1 {
                inputs.append(.downsample(try Conv2d(w["input_blocks"][n]["0.op"], in: ch, out: ch,
                                                     kernel: 3, stride: 2, padding: 1)))
                n += 1
                skips.append(ch)
            }
        }
        inputBlocks = inputs

        let midAttn = try transformer(w["middle_block.1"], ch, depth: c.middleDepth)
        middle = MiddleBlock(res1: try ResBlock(w["middle_block.0"], channels: ch, out: ch, embedding: e),
                             attn: midAttn,
                             res2: try ResBlock(w[midAttn == nil ? "middle_block.1" : "middle_block.2"],
                                                channels: ch, out: ch, embedding: e))

        var outputs: [OutputBlock] = []
        n = 0
        for (level, mult) in c.channelMult.enumerated().reversed() {
            for i in 0...c.resBlocks[level] {
                let b = w["output_blocks"][n], out = mult * mc
                let res = try ResBlock(b["0"], channels: ch + skips.removeLast(), out: out, embedding: e)
                ch = out
                let attn = try transformer(b["1"], ch, depth: c.transformerDepth[level])
                let up = level > 0 && i == c.resBlocks[level]
                    ? try Conv2d(b[attn == nil ? "1.conv" : "2.conv"], in: ch, out: ch, kernel: 3, padding: 1)
                    : nil
                outputs.append(OutputBlock(res: res, attn: attn, upsample: up))
                n += 1
            }
        }
        outputBlocks = outputs
        outNorm = try GroupNorm(w["out.0"], channels: ch, eps: 1e-5)
        outConv = try Conv2d(w["out.2"], in: ch, out: c.outChannels, kernel: 3, padding: 1)
    }

    /// x [B, in, H, W] (model space, already scaled by c_in), timesteps [B], context [B, M, contextDim]
    /// (or [1, M, contextDim], repeated over the batch) -> the network output [B, out, H, W] (eps for SD1.x).
    public func callAsFunction(_ x: Tensor, timesteps: Tensor, context: Tensor) throws -> Tensor {
        let b = x.rank == 4 ? x.shape[0] : 0
        let context = context.rank == 3 && context.shape[0] == 1 && b > 1
            ? concat(Array(repeating: context, count: b), axis: 0) : context
        try validate(x, timesteps: timesteps, context: context)
        let t = timestepEmbedding(timesteps, dim: config.modelChannels)       // [B, model]
        let emb = timeEmbed2(silu(timeEmbed1(t)))                            // [B, 4*model]
        var h = x, skips: [Tensor] = []
        for block in inputBlocks {
            h = block(h, emb, context)
            skips.append(h)
        }
        h = middle(h, emb, context)
        for block in outputBlocks {
            let skip = skips.removeLast()
            let next = skips.last.map { ($0.shape[2], $0.shape[3]) }
            h = block(h, skip: skip, emb, context, outputSize: next)
        }
        return outConv(silu(outNorm(h)))
    }

    func validate(_ x: Tensor, timesteps: Tensor, context: Tensor) throws {
        guard x.rank == 4, x.shape[1] == config.inChannels, x.shape[0] > 0, x.shape[2] > 0, x.shape[3] > 0 else {
            throw UNetInputError.latent(x.shape, channels: config.inChannels)
        }
        guard timesteps.shape == [x.shape[0]] else { throw UNetInputError.timesteps(timesteps.shape, batch: x.shape[0]) }
        guard context.rank == 3, context.shape[0] == x.shape[0], context.shape[2] == config.contextDim,
              context.shape[1] > 0 else {
            throw UNetInputError.context(context.shape, batch: x.shape[0], width: config.contextDim)
        }
    }
}

/// Inputs the UNet cannot take.
public enum UNetInputError: Error, Equatable, CustomStringConvertible {
    case latent([Int], channels: Int)
    case timesteps([Int], batch: Int)
    case context([Int], batch: Int, width: Int)

    public var description: String {
        switch self {
        case let .latent(s, c): return "latent of shape \(s) is not [B, \(c), H, W]"
        case let .timesteps(s, b): return "timesteps of shape \(s) do not match the batch of \(b)"
        case let .context(s, b, w): return "conditioning of shape \(s) is not [\(b), tokens, \(w)]"
        }
    }
}
