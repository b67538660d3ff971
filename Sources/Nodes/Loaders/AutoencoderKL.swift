// Matches ComfyUI 0.8.0 comfy/sd.py VAE.decode/encode for AutoencoderKL and AutoencodingEngine
// (the SD VAEs, and the Flux VAE: 16 latent channels, no quant convs), untiled.
import Models
import TensorCore

/// VAE of a checkpoint or a VAELoader file: NHWC images in [0, 1], VAE-space latents (the latent
/// format's scale and shift belong to the model's family, applied by the samplers).
public struct AutoencoderKL: ImageAutoencoder, @unchecked Sendable {
    public let vae: VAE

    public init(_ vae: VAE) { self.vae = vae }

    public var latentChannels: Int { vae.config.latentChannels }

    /// clamp((D(z) + 1) / 2, 0, 1), channels last.
    public func decode(_ latent: Tensor) throws -> Tensor { try vae.decode(latent) }

    /// The posterior mode of the centre-cropped image (multiples of 8), channels beyond 3 dropped.
    public func encode(_ image: Tensor) throws -> Tensor { try vae.encode(image) }
}
