// Matches ComfyUI 0.8.0 comfy/ldm/models/autoencoder.py AutoencoderKL (decode/encode) and
// comfy/sd.py VAE.decode/encode: the image conventions of VAEDecode and VAEEncode.
import TensorCore

/// The SD VAE. Latents here are VAE-space (no 0.18215 factor: that belongs to the model's latent
/// format, not to VAEDecode/VAEEncode). Images are ComfyUI IMAGEs: NHWC Float32 RGB in [0, 1].
public struct VAE {
    public let config: VAEConfig
    let encoder: VAEEncoder            // encoder
    let decoder: VAEDecoder            // decoder
    let quantConv: Conv2d?             // quant_conv      [2z, 2z, 1, 1]  (none in the Flux VAE)
    let postQuantConv: Conv2d?         // post_quant_conv [z, z, 1, 1]

    public init(_ w: WeightScope, config c: VAEConfig) throws {
        config = c
        encoder = try VAEEncoder(w["encoder"], c)
        decoder = try VAEDecoder(w["decoder"], c)
        quantConv = try c.quantConvs ? Conv2d(w["quant_conv"], in: 2 * c.latentChannels, out: 2 * c.latentChannels, kernel: 1) : nil
        postQuantConv = try c.quantConvs ? Conv2d(w["post_quant_conv"], in: c.latentChannels, out: c.latentChannels, kernel: 1) : nil
    }

    /// D(z): post_quant_conv (when present) + decoder, NCHW, before ComfyUI's (x + 1) / 2 and clamp.
    public func decodeRaw(_ latent: Tensor) throws -> Tensor {        // [B,z,h,w] -> [B,3,8h,8w]
        guard latent.rank == 4, latent.shape[1] == config.latentChannels, latent.count > 0 else {
            throw VAEInputError.latent(latent.shape, channels: config.latentChannels)
        }
        // One image at a time: every op is per-sample, and this bounds the activations to one image.
        let images = (0..<latent.shape[0]).map { i -> Tensor in
            let z = latent.batch(i)
            return decoder(postQuantConv?(z) ?? z)
        }
        return images.count == 1 ? images[0] : concat(images, axis: 0)
    }

    /// VAEDecode: clamp((D(z) + 1) / 2, 0, 1) as an NHWC IMAGE [B, 8h, 8w, 3].
    public func decode(_ latent: Tensor) throws -> Tensor {
        var raw = try decodeRaw(latent)
        raw.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = min(max((p[i] + 1) / 2, 0), 1) }
        }
        return permuted(raw, [0, 2, 3, 1])
    }

    /// quant_conv(encoder(2x - 1)) (without quant_conv: encoder(2x - 1)) of an NHWC IMAGE: [B, 2z, H/8, W/8], mean then log-variance.
    /// The image is first center-cropped to multiples of the downscale factor, extra channels dropped.
    public func moments(_ image: Tensor) throws -> Tensor {
        let pixels = try cropForEncoding(image)                      // [B,3,H',W'] in [-1,1]
        let out = (0..<pixels.shape[0]).map { i -> Tensor in
            let h = encoder(pixels.batch(i))
            return quantConv?(h) ?? h
        }
        return out.count == 1 ? out[0] : concat(out, axis: 0)
    }

    /// VAEEncode: the posterior mean (no sampling, no scale factor), [B, z, H/8, W/8].
    public func encode(_ image: Tensor) throws -> Tensor {
        let m = try moments(image)
        return chunk(m, parts: 2, axis: 1)[0]
    }

    /// sd.py vae_encode_crop_pixels + process_input: center crop (offset (size % 8) / 2), the
    /// first three channels, NCHW, 2x - 1.
    func cropForEncoding(_ image: Tensor) throws -> Tensor {
        let f = config.downscale
        guard image.rank == 4, image.shape[3] >= config.imageChannels,
              image.shape[1] >= f, image.shape[2] >= f, image.shape[0] > 0 else {
            throw VAEInputError.image(image.shape, minimumSide: f)
        }
        let (b, h, w, c) = (image.shape[0], image.shape[1], image.shape[2], image.shape[3])
        let (oh, ow) = (h / f * f, w / f * f)
        let (top, left) = (h % f / 2, w % f / 2), k = config.imageChannels
        var out = Tensor(shape: [b, k, oh, ow], uninitialized: ())
        image.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for n in 0..<b { for ch in 0..<k { for y in 0..<oh { for x in 0..<ow {
                    let s = ((n * h + top + y) * w + left + x) * c + ch
                    dst[((n * k + ch) * oh + y) * ow + x] = src[s] * 2 - 1
                } } } }
            }
        }
        return out
    }
}

/// Inputs the VAE cannot take.
public enum VAEInputError: Error, Equatable, CustomStringConvertible {
    case latent([Int], channels: Int)
    case image([Int], minimumSide: Int)

    public var description: String {
        switch self {
        case let .latent(s, c): return "latent of shape \(s) is not [B, \(c), H, W]"
        case let .image(s, m): return "image of shape \(s) is not [B, H, W, 3] with sides of at least \(m) pixels"
        }
    }
}
