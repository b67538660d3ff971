import Execution

/// ComfyUI 0.8.0 nodes.py `VAEDecode`: LATENT -> IMAGE `[B, H, W, 3]` in 0...1.
public enum VAEDecode: NodeDefinition {
    public static let samples = Input<LatentValue>("samples")
    public static let vae = Input<VAEValue>("vae")

    public static let declaration = NodeDeclaration(
        "VAEDecode", displayName: "VAE Decode", category: "latent", inputs: [samples, vae], outputs: [.image])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let latent = try a[samples].samples, autoencoder = try a[vae].vae
        try LatentChannels.check(latent, autoencoder, node: "VAEDecode", input: "samples")
        return NodeOutput(ImageValue(pixels: try autoencoder.decode(latent)))
    }
}
