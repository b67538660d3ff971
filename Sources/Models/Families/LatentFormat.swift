// Matches ComfyUI 0.8.0 comfy/latent_formats.py LatentFormat (latent_channels, scale_factor,
// shift_factor, latent_rgb_factors, latent_rgb_factors_bias) with its process_in / process_out.
import TensorCore

/// How a family's model-space latents relate to its VAE's: model = (vae - shift) * scale. The
/// samplers apply `processIn` / `processOut` (KSampler), never the VAE nodes.
public struct LatentFormat: Equatable, Sendable {
    public var channels: Int
    public var scaleFactor: Float
    /// 0 for the formats without one (SD15, SDXL): then process_in/out are a plain multiply/divide.
    public var shiftFactor: Float
    /// Latent channel -> (R, G, B) weights of the preview image, one row per channel.
    public var rgbFactors: [[Float]]
    /// Added to the preview's RGB (nil: ComfyUI has none for this format).
    public var rgbFactorsBias: [Float]?

    public init(channels: Int, scaleFactor: Float, shiftFactor: Float = 0, rgbFactors: [[Float]],
                rgbFactorsBias: [Float]? = nil) {
        self.channels = channels
        self.scaleFactor = scaleFactor
        self.shiftFactor = shiftFactor
        self.rgbFactors = rgbFactors
        self.rgbFactorsBias = rgbFactorsBias
    }

    /// `process_in`: VAE space -> model space (`latent * scale`, or `(latent - shift) * scale`).
    public func processIn(_ latent: Tensor) -> Tensor {
        shiftFactor == 0 ? latent * scaleFactor : (latent - shiftFactor) * scaleFactor
    }

    /// `process_out`: model space -> VAE space (`latent / scale`, or `latent / scale + shift`).
    public func processOut(_ latent: Tensor) -> Tensor {
        shiftFactor == 0 ? latent / scaleFactor : latent / scaleFactor + shiftFactor
    }
}
