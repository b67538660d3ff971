// A latent made for another model family (a 16-channel Flux latent into an SD1.5 VAE) is an error
// naming the node and input, as ComfyUI's shape errors do, never a trap.
import TensorCore

struct LatentChannelsMismatch: Error, CustomStringConvertible {
    let node: String, input: String, shape: [Int], expected: Int
    var description: String {
        "\(node): input '\(input)' is a latent of shape \(shape) but the VAE takes [B, \(expected), H, W] latents"
    }
}

enum LatentChannels {
    static func check(_ latent: Tensor, _ vae: any ImageAutoencoder, node: String, input: String) throws {
        guard latent.rank == 4, latent.shape[1] == vae.latentChannels, latent.count > 0 else {
            throw LatentChannelsMismatch(node: node, input: input, shape: latent.shape, expected: vae.latentChannels)
        }
    }
}
