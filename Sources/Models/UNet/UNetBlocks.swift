// Matches ComfyUI 0.8.0 openaimodel.py TimestepEmbedSequential contents of input_blocks,
// output_blocks and middle_block, and its Downsample/Upsample (use_conv=True, 2-D).
import TensorCore

/// One entry of `input_blocks`: the first convolution, a ResBlock (+ attention), or a downsampling.
enum InputBlock {
    case convIn(Conv2d)                              // input_blocks.0.0
    case layer(ResBlock, SpatialTransformer?)        // input_blocks.N.0, .N.1
    case downsample(Conv2d)                          // input_blocks.N.0.op (3x3, stride 2, padding 1)

    func callAsFunction(_ x: Tensor, _ emb: Tensor, _ context: Tensor) -> Tensor {
        switch self {
        case .convIn(let conv), .downsample(let conv): return conv(x)
        case let .layer(res, attn):
            let h = res(x, emb)
            return attn?(h, context: context) ?? h
        }
    }
}

/// One entry of `output_blocks`: ResBlock over [h, skip], optional attention, optional upsampling.
struct OutputBlock {
    let res: ResBlock                  // output_blocks.N.0
    let attn: SpatialTransformer?      // output_blocks.N.1 where the level has attention
    let upsample: Conv2d?              // output_blocks.N.{1|2}.conv, after nearest 2x

    /// `skip` is the matching input block's output; an upsampled map takes the size of the next
    /// skip (`outputSize`), as ComfyUI passes `output_shape` for odd latent sizes.
    func callAsFunction(_ x: Tensor, skip: Tensor, _ emb: Tensor, _ context: Tensor,
                        outputSize: (Int, Int)?) -> Tensor {
        var h = res(concat([x, skip], axis: 1), emb)           // [B, c + skip, H, W] -> [B, out, H, W]
        if let attn { h = attn(h, context: context) }
        guard let upsample else { return h }
        h = upsampleNearest2x(h)                               // [B, out, 2H, 2W]
        if let (oh, ow) = outputSize, oh != h.shape[2] || ow != h.shape[3] {
            h = cropTopLeft(h, height: oh, width: ow)          // nearest-to-size == 2x then crop
        }
        return upsample(h)
    }
}

/// middle_block: ResBlock, SpatialTransformer, ResBlock.
struct MiddleBlock {
    let res1: ResBlock                 // middle_block.0
    let attn: SpatialTransformer?      // middle_block.1
    let res2: ResBlock                 // middle_block.2 (middle_block.1 when there is no attention)

    func callAsFunction(_ x: Tensor, _ emb: Tensor, _ context: Tensor) -> Tensor {
        var h = res1(x, emb)
        if let attn { h = attn(h, context: context) }
        return res2(h, emb)
    }
}
