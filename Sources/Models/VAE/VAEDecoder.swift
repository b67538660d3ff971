// Matches ComfyUI 0.8.0 comfy/ldm/modules/diffusionmodules/model.py Decoder (SD VAE: levels
// walked from the deepest, num_res_blocks + 1 ResnetBlocks each, no tanh).
import TensorCore

struct VAEDecoder {
    let convIn: Conv2d                       // conv_in
    let mid1: VAEResnetBlock                 // mid.block_1
    let midAttn: VAEAttentionBlock           // mid.attn_1
    let mid2: VAEResnetBlock                 // mid.block_2
    let levels: [(blocks: [VAEResnetBlock], up: VAEUpsample?)]   // up.N (deepest first)
    let normOut: GroupNorm                   // norm_out
    let convOut: Conv2d                      // conv_out

    init(_ w: WeightScope, _ c: VAEConfig) throws {
        var ch = c.channels * (c.channelMult.last ?? 1)
        convIn = try Conv2d(w["conv_in"], in: c.latentChannels, out: ch, kernel: 3, padding: 1)
        mid1 = try VAEResnetBlock(w["mid.block_1"], in: ch, out: ch)
        midAttn = try VAEAttentionBlock(w["mid.attn_1"], channels: ch)
        mid2 = try VAEResnetBlock(w["mid.block_2"], in: ch, out: ch)
        var levels: [(blocks: [VAEResnetBlock], up: VAEUpsample?)] = []
        for (i, mult) in c.channelMult.enumerated().reversed() {
            let level = w["up"][i], out = c.channels * mult
            var blocks: [VAEResnetBlock] = []
            for j in 0...c.resBlocks {
                blocks.append(try VAEResnetBlock(level["block"][j], in: ch, out: out))
                ch = out
            }
            levels.append((blocks, i == 0 ? nil : try VAEUpsample(level["upsample"], channels: ch)))
        }
        self.levels = levels
        normOut = try GroupNorm(w["norm_out"], channels: ch, eps: 1e-6)
        convOut = try Conv2d(w["conv_out"], in: ch, out: c.imageChannels, kernel: 3, padding: 1)
    }

    func callAsFunction(_ z: Tensor) -> Tensor {      // z [B,z,h,w] -> [B,3,8h,8w], about [-1,1]
        var h = mid2(midAttn(mid1(convIn(z))))
        for level in levels {
            for block in level.blocks { h = block(h) }
            if let up = level.up { h = up(h) }
        }
        return convOut(silu(normOut(h)))
    }
}
