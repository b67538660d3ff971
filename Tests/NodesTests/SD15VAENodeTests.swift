import Execution
import Foundation
import Nodes
import TensorCore
import Testing
import TestSupport
import Workflow

/// VAELoader + VAEDecode / VAEEncode (and the checkpoint's VAE) through the nodes' `execute`.
/// Oracle: ../shared/reference/expected/vae.safetensors (ComfyUI 0.8.0, fp32). Tolerance as
/// ModelsTests' VAE tests: |a - e| <= 3e-5·max|e| + 1e-5·|e| (fp32, another summation order).
@Suite struct SD15VAENodeTests {
    static let vaeFile: Result<VAEValue, Error> = Result {
        let out = try SD15Nodes.run(VAELoader.self, ["vae_name": JSONValue.string("vae-ft-mse-840000-ema-pruned.safetensors")])
        return try #require(out[0] as? VAEValue)
    }

    static func vae(_ source: String) throws -> VAEValue {
        source == "vae_file" ? try vaeFile.get() : try SD15Nodes.checkpoint().vae
    }

    static func expectClose(_ a: Tensor, _ key: String) throws {
        let e = try Reference.tensor("vae.safetensors", key)
        let (d, s) = SD15Nodes.maxAbsDiff(a, e)
        print("\(key): max|diff| \(d) (max|e| \(s))")
        #expect(closeness(a, e, relative: 1e-5, absolute: 3e-5 * s) == nil, "\(key)")
    }

    @Test(arguments: ["vae_file", "checkpoint_vae"])
    func decodeAndEncodeMatchComfyUI(_ source: String) throws {
        let vae = try Self.vae(source)
        let latent = LatentValue(samples: try Reference.tensor("vae.safetensors", "decode/latent_in"))
        let image = try #require(try SD15Nodes.run(VAEDecode.self, ["samples": latent, "vae": vae])[0] as? ImageValue)
        try Self.expectClose(image.pixels, "\(source)/decode/image")
        let pixels = ImageValue(pixels: try Reference.tensor("vae.safetensors", "encode/image_in"))
        let encoded = try #require(try SD15Nodes.run(VAEEncode.self, ["pixels": pixels, "vae": vae])[0] as? LatentValue)
        try Self.expectClose(encoded.samples, "\(source)/encode/latent")
    }

    /// compat §2.2: VAEEncode centre-crops to multiples of 8 (offset (dim % 8) / 2) and drops a 4th
    /// channel: a 69x70 RGBA image padded around the 64x64 input encodes like the input.
    @Test func encodeCropsToMultiplesOfEightAndDropsAlpha() throws {
        let vae = try Self.vae("vae_file")
        let image = try Reference.tensor("vae.safetensors", "encode/image_in")      // [1, 64, 64, 3]
        var padded = Tensor(shape: [1, 69, 70, 4], repeating: 0.5)
        image.withUnsafeBufferPointer { src in padded.withUnsafeMutableBufferPointer { dst in
            for y in 0..<64 { for x in 0..<64 { for c in 0..<3 {
                dst[((y + 2) * 70 + x + 3) * 4 + c] = src[(y * 64 + x) * 3 + c]
            } } }
        } }
        let a = try #require(try SD15Nodes.run(VAEEncode.self, ["pixels": ImageValue(pixels: padded), "vae": vae])[0] as? LatentValue)
        let b = try #require(try SD15Nodes.run(VAEEncode.self, ["pixels": ImageValue(pixels: image), "vae": vae])[0] as? LatentValue)
        #expect(a.samples.shape == [1, 4, 8, 8])
        #expect(closeness(a.samples, b.samples) == nil)
    }

    @Test func latentWithOtherChannelsNamesTheNode() throws {
        let vae = try Self.vae("vae_file")
        let flux = LatentValue(samples: Tensor.zeros([1, 16, 8, 8]))
        let error = #expect(throws: (any Error).self) { try SD15Nodes.run(VAEDecode.self, ["samples": flux, "vae": vae]) }
        #expect("\(error.map { "\($0)" } ?? "")" ==
                "VAEDecode: input 'samples' is a latent of shape [1, 16, 8, 8] but the VAE takes [B, 4, H, W] latents")
    }

    /// comfy/pixel_space_convert.py: VAELoader('pixel_space') encodes to 2x - 1 (channels first, RGB
    /// only) and decodes back to the image. Exact for values k/256.
    @Test func pixelSpaceVAERoundTrips() throws {
        let vae = try #require(try SD15Nodes.run(VAELoader.self, ["vae_name": JSONValue.string("pixel_space")])[0] as? VAEValue)
        var image = Tensor(shape: [1, 3, 5, 4], uninitialized: ())
        image.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = Float(i % 7) / 8 } }
        let latent = try #require(try SD15Nodes.run(VAEEncode.self, ["pixels": ImageValue(pixels: image), "vae": vae])[0] as? LatentValue)
        #expect(latent.samples.shape == [1, 3, 3, 5])
        #expect(latent.samples[0, 1, 0, 0] == image[0, 0, 0, 1] * 2 - 1)
        let back = try #require(try SD15Nodes.run(VAEDecode.self, ["samples": latent, "vae": vae])[0] as? ImageValue)
        #expect(back.pixels.scalars == image.scalars.enumerated().filter { $0.offset % 4 != 3 }.map(\.element))
    }
}
