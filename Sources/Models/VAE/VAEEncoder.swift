// Matches ComfyUI 0.8.0 comfy/ldm/modules/diffusionmodules/model.py Encoder (SD VAE: no
// attention in the levels, double_z so conv_out gives mean and log-variance).
import TensorCore

struct VAEEncoder {
    let convIn: Conv2d                       // conv_in
    let levels: [(blocks: [VAEResnetBlock], down: VAEDownsample?)]   // down.N.block.M, down.N.downsample
    let mid1: VAEResnetBlock                 // mid.block_1
    let midAttn: VAEAttentionBlock           // mid.attn_1
    let mid2: VAEResnetBlock                 // mid.block_2
    let normOut: GroupNorm                   // norm_out
    let convOut: Conv2d                      // conv_out

    init(_ w: WeightScope, _ c: VAEConfig) throws {
        convIn = try Conv2d(w["conv_in"], in: c.imageChannels, out: c.channels, kernel: 3, padding: 1)
        var ch = c.channels, levels: [(blocks: [VAEResnetBlock], down: VAEDownsample?)] = []
        for (i, mult) in c.channelMult.enumerated() {
            let level = w["down"][i], out = c.channels * mult
            var blocks: [VAEResnetBlock] = []
            for j in 0..<c.resBlocks {
                blocks.append(try VAEResnetBlock(level["block"][j], in: ch, out: out))
                ch = out
            }
            let last = i == c.channelMult.count - 1
            levels.append((blocks, last ? nil : try VAEDownsample(level["downsample"], channels: ch)))
        }
        self.levels = levels
        mid1 = try VAEResnetBlock(w["mid.block_1"], in: ch, out: ch)
        midAttn = try VAEAttentionBlock(w["mid.attn_1"], channels: ch)
        mid2 = try VAEResnetBlock(w["mid.block_2"], in: ch, out: ch)
        normOut = try GroupNorm(w["norm_out"], channels: ch, eps: 1e-6)
        convOut = try Conv2d(w["conv_out"], in: ch, out: 2 * c.latentChannels, kernel: 3, padding: 1)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {      // x [B,3,H,W] in [-1,1] -> [B,2z,H/8,W/8]
        var h = convIn(x)
        for level in levels {
            for block in level.blocks { h = block(h) }
            if let down = level.down { h = down(h) }
        }
        h = mid2(midAttn(mid1(h)))
        return convOut(silu(normOut(h)))
    }
}
