/// KSampler / KSamplerAdvanced failures that ComfyUI would report as a deep PyTorch error (or not
/// at all): here they name the input and the reason. Sampler errors (NaN/Inf at a step,
/// interruption) come as `SamplingError`.
public enum KSamplerError: Error, Equatable, CustomStringConvertible {
    /// A non-empty latent whose channel count is not the model's (an all-zero one is widened).
    case latentChannels(shape: [Int], modelChannels: Int)
    /// `latent_image.samples` is not `[B, C, h, w]`.
    case latentShape([Int])
    case malformedConditioning(input: String, shape: [Int])
    /// `noise_mask` (inpainting) is not supported yet.
    case noiseMaskUnsupported
    /// The sampler finished with NaN or infinite values.
    case nonFiniteResult

    public var description: String {
        switch self {
        case let .latentChannels(shape, channels):
            return "input 'latent_image': a latent of shape \(shape) has \(shape.count > 1 ? shape[1] : 0) channels, "
                + "but the model expects \(channels) (is the latent from another model family's VAE?)"
        case .latentShape(let shape):
            return "input 'latent_image': samples of shape \(shape) are not [batch, channels, height, width]"
        case let .malformedConditioning(input, shape):
            return "input '\(input)': a conditioning of shape \(shape) is not [1, tokens, width]"
        case .noiseMaskUnsupported:
            return "input 'latent_image': latents with a noise_mask (inpainting) are not supported yet"
        case .nonFiniteResult:
            return "the sampler produced NaN or infinite values"
        }
    }
}
