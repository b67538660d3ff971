// Matches ComfyUI 0.8.0 comfy/sd.py VAE.__init__ for AutoencoderKL (the ddconfig of the SD VAE;
// the BFL Flux `ae.safetensors` is the same network with 16 latent channels and no quant convs,
// AutoencodingEngine), with every dimension read from the shapes instead of assumed.
import Checkpoint
import Logging

/// The SD VAE's dimensions (`ch`, `ch_mult`, `num_res_blocks`, `z_channels` of its ddconfig).
public struct VAEConfig: Equatable, Sendable {
    public var imageChannels = 3       // in_channels / out_ch
    public var channels = 128          // ch
    public var channelMult = [1, 2, 4, 4]
    public var resBlocks = 2           // num_res_blocks (the decoder has one more per level)
    public var latentChannels = 4      // z_channels
    public var quantConvs = true       // quant_conv / post_quant_conv (SD VAEs; not the Flux VAE)

    public init() {}

    /// Pixels per latent value along each side: 2^(levels - 1).
    public var downscale: Int { 1 << (channelMult.count - 1) }

    /// Reads the configuration under `prefix` ("first_stage_model" in a checkpoint, "" in a VAE file).
    public static func detect(in index: TensorIndex, prefix: String) throws -> VAEConfig {
        let p = prefix.isEmpty ? "" : prefix + "."
        var c = VAEConfig()
        let convOut = try index.shape(of: p + "decoder.conv_out.weight")      // [out_ch, ch, 3, 3]
        (c.imageChannels, c.channels) = (convOut[0], convOut[1])
        c.latentChannels = try index.shape(of: p + "decoder.conv_in.weight")[1] // [ch*mult, z, 3, 3]
        let levels = countBlocks(index, prefix: p + "encoder.down.")
        c.channelMult = try (0..<levels).map {
            try index.shape(of: p + "encoder.down.\($0).block.0.conv1.weight")[0] / c.channels
        }
        c.resBlocks = countBlocks(index, prefix: p + "encoder.down.0.block.")
        // sd.py: AutoencoderKL when post_quant_conv is there, else AutoencodingEngine (no quant convs).
        c.quantConvs = index.contains(p + "post_quant_conv.weight")
        Logger(label: "swiftcomfy.models").debug("vae: \(c)")
        return c
    }

    /// Where a VAE's tensors are in `index`: "" (a VAE file) or "first_stage_model" (a checkpoint),
    /// nil when there is no AutoencoderKL decoder under either.
    public static func prefix(in index: TensorIndex) -> String? {
        if index.contains("decoder.conv_in.weight") { return "" }
        if index.contains("first_stage_model.decoder.conv_in.weight") { return "first_stage_model" }
        return nil
    }
}
