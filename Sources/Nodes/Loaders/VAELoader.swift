// Matches ComfyUI 0.8.0 nodes.py VAELoader (comfy/sd.py VAE from a standalone state dict).
import Execution

/// ComfyUI 0.8.0 nodes.py `VAELoader`: files of `vae`, plus `pixel_space` (TAESD variants are not
/// offered: SwiftComfy does not run them).
public enum VAELoader: NodeDefinition {
    public static let vaeName = Input<ModelFile>("vae_name", folder: "vae", extraChoices: ["pixel_space"])

    public static let declaration = NodeDeclaration(
        "VAELoader", displayName: "Load VAE", category: "loaders", inputs: [vaeName], outputs: [.vae])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let file = try a[vaeName]
        if file.name == "pixel_space" { return NodeOutput(VAEValue(vae: PixelSpaceVAE())) }
        return NodeOutput(try Families.loadVAE(try ctx.modelPath(file)))
    }
}
