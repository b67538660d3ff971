import Execution

/// ComfyUI 0.8.0 nodes.py `VAEEncode`: IMAGE -> LATENT (posterior mode).
public enum VAEEncode: NodeDefinition {
    public static let pixels = Input<ImageValue>("pixels")
    public static let vae = Input<VAEValue>("vae")

    public static let declaration = NodeDeclaration(
        "VAEEncode", displayName: "VAE Encode", category: "latent", inputs: [pixels, vae], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        NodeOutput(LatentValue(samples: try a[vae].vae.encode(try a[pixels].pixels)))
    }
}
