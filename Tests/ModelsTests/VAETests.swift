import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// Oracle: ../shared/reference/expected/vae.safetensors: VAEDecode / VAEEncode of ComfyUI 0.8.0 with
/// the VAE file (VAELoader) and with the checkpoint's VAE, both float32.
/// Tolerance: |a - e| <= 3e-5·max|e| + 1e-5·|e| (measured max |diff| 9.5e-6 on encoder moments up to
/// 2.0, 4.4e-6 on decoder outputs up to 2.6): fp32 vs fp32 with another summation order.
@Suite struct VAETests {
    static let sources = ["vae_file", "checkpoint_vae"]

    static func vae(_ source: String) throws -> VAE {
        source == "vae_file" ? try ModelFixtures.vae() : try ModelFixtures.checkpoint().vae
    }

    static func expectClose(_ a: Tensor, _ key: String) throws {
        let e = try Reference.tensor("vae.safetensors", key)
        let (d, s) = maxAbsDiff(a, e)
        print("vae \(key): max|diff| \(d) (max|e| \(s))")
        #expect(closeness(a, e, relative: 1e-5, absolute: 3e-5 * s) == nil, "\(key)")
    }

    @Test(arguments: sources)
    func decodeMatchesComfyUI(_ source: String) throws {
        let vae = try Self.vae(source)
        let latent = try Reference.tensor("vae.safetensors", "decode/latent_in")
        try Self.expectClose(try vae.decodeRaw(latent), "\(source)/decode/raw_decoder_output_nchw")
        try Self.expectClose(try vae.decode(latent), "\(source)/decode/image")
    }

    @Test(arguments: sources)
    func encodeMatchesComfyUI(_ source: String) throws {
        let vae = try Self.vae(source)
        let image = try Reference.tensor("vae.safetensors", "encode/image_in")
        try Self.expectClose(try vae.moments(image), "\(source)/encode/moments_nchw")
        try Self.expectClose(try vae.encode(image), "\(source)/encode/latent")
    }

    /// Batches decode item by item (bounded memory); the result is the per-item decode, exactly.
    @Test func batchDecodeEqualsItemDecodes() throws {
        let vae = try ModelFixtures.vae()
        let latent = try Reference.tensor("vae.safetensors", "decode/latent_in")
        let pair = try vae.decode(concat([latent * 0.5, latent], axis: 0))
        #expect(pair.shape == [2, 64, 64, 3])
        #expect(closeness(pair.batch(1), try vae.decode(latent)) == nil)
        #expect(closeness(pair.batch(0), try vae.decode(latent * 0.5)) == nil)
    }

    /// VAEEncode center-crops to multiples of 8 (offset (size % 8) / 2) and ignores a 4th channel:
    /// a 70x67 RGBA image gives the latent of its 64x64 RGB window at (3, 1).
    @Test func encodeCropsToMultiplesOfEight() throws {
        let vae = try ModelFixtures.vae()
        let image = try Reference.tensor("vae.safetensors", "encode/image_in")     // [1, 64, 64, 3]
        var big = Tensor(shape: [1, 70, 67, 4], repeating: 0.5)
        let src = image.scalars
        for y in 0..<64 { for x in 0..<64 { for c in 0..<3 { big[0, y + 3, x + 1, c] = src[(y * 64 + x) * 3 + c] } } }
        let a = try vae.encode(big), b = try vae.encode(image)
        #expect(a.shape == [1, 4, 8, 8])
        #expect(closeness(a, b, absolute: 0) == nil)
    }
}
