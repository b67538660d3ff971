// Matches ComfyUI 0.8.0 comfy/pixel_space_convert.py PixelspaceConversionVAE as comfy/sd.py VAE wraps
// it (VAELoader 'pixel_space'): the "latent" is the image itself, NCHW, in [-1, 1].
import TensorCore

/// VAELoader('pixel_space'): encode = 2x - 1 of the first three channels, channels first (no crop:
/// the downscale ratio is 1); decode = clamp((z + 1) / 2, 0, 1), channels last.
public struct PixelSpaceVAE: ImageAutoencoder {
    public init() {}

    public var latentChannels: Int { 3 }

    public func decode(_ latent: Tensor) throws -> Tensor {            // [B, 3, H, W] -> [B, H, W, 3]
        var x = latent
        x.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = min(max((p[i] + 1) / 2, 0), 1) } }
        return permuted(x, [0, 2, 3, 1])
    }

    public func encode(_ image: Tensor) throws -> Tensor {             // [B, H, W, C>=3] -> [B, 3, H, W]
        guard image.rank == 4, image.shape[3] >= 3 else { throw PixelSpaceImageError(shape: image.shape) }
        let (b, h, w, c) = (image.shape[0], image.shape[1], image.shape[2], image.shape[3])
        var out = Tensor(shape: [b, 3, h, w], uninitialized: ())
        image.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for n in 0..<b { for ch in 0..<3 { for y in 0..<h { for x in 0..<w {
                    dst[((n * 3 + ch) * h + y) * w + x] = src[((n * h + y) * w + x) * c + ch] * 2 - 1
                } } } }
            }
        }
        return out
    }
}

struct PixelSpaceImageError: Error, CustomStringConvertible {
    let shape: [Int]
    var description: String { "image of shape \(shape) is not [B, H, W, 3]" }
}
