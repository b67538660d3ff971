import Checkpoint
import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// The VAE takes its layout from the file: the Flux VAE (`ae.safetensors`, AutoencodingEngine: 16
/// latent channels, no quant_conv / post_quant_conv). Oracle: ../shared/reference/expected/flux/vae.safetensors,
/// ComfyUI 0.8.0's VAEDecode of `make_fixtures.py vae flux` (seed 1, F32, float32 compute); the
/// file's sha256 from ../shared/reference/README.md ("Flux.1 files"). Tolerance as the SD VAE's:
/// |a - e| <= 3e-5·max|e| + 1e-5·|e| (fp32 vs fp32, another summation order).
@Suite struct FluxVAETests {
    static let sha256 = "e29ac6600117af1f5ed6dd17b8b02f0589d0013d989226e5c2d5a604ae5a89de"
    static let loaded: Result<(vae: VAE, index: TensorIndex), Error> = Result {
        let index = try TensorIndex(url: TestFixtures.fluxVAE())
        return (try VAE.load(index: index), index)
    }

    @Test func generatorWritesTheKitsFileByteForByte() throws {
        #expect(try SHA256.hex(ofFile: TestFixtures.fluxVAE()) == Self.sha256)
    }

    @Test func layoutComesFromTheFile() throws {
        let (vae, index) = try Self.loaded.get()
        var expected = VAEConfig()
        expected.latentChannels = 16
        expected.quantConvs = false
        #expect(vae.config == expected)
        #expect(index.unusedKeys == [])
    }

    @Test func decodeMatchesComfyUI() throws {
        let vae = try Self.loaded.get().vae
        let latent = try Reference.tensor("flux/vae.safetensors", "latent")          // [1, 16, 32, 32]
        let expected = try Reference.tensor("flux/vae.safetensors", "decoded_image") // [1, 256, 256, 3]
        let image = try vae.decode(latent)
        let (d, s) = maxAbsDiff(image, expected)
        print("flux vae decode: max|diff| \(d) (max|e| \(s))")
        #expect(image.shape == [1, 256, 256, 3])
        #expect(closeness(image, expected, relative: 1e-5, absolute: 3e-5 * s) == nil)
    }

    /// No reference for the Flux VAE's encoder in the kit: shapes only (mean of 16 channels, /8).
    @Test func encodeGivesSixteenChannelLatents() throws {
        let vae = try Self.loaded.get().vae
        let image = Tensor(shape: [1, 64, 72, 3], repeating: 0.25)
        #expect(try vae.moments(image).shape == [1, 32, 8, 9])
        #expect(try vae.encode(image).shape == [1, 16, 8, 9])
    }
}
