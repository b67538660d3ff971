import Execution

/// ComfyUI 0.8.0 nodes.py `CheckpointLoaderSimple`: a single-file checkpoint -> MODEL, CLIP, VAE.
public enum CheckpointLoaderSimple: NodeDefinition {
    public static let ckptName = Input<ModelFile>("ckpt_name", folder: "checkpoints")

    public static let declaration = NodeDeclaration(
        "CheckpointLoaderSimple", displayName: "Load Checkpoint", category: "loaders",
        description: "Loads a diffusion model checkpoint, diffusion models are used to denoise latents.",
        inputs: [ckptName], outputs: [.model, .clip, .vae])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("CheckpointLoaderSimple")
    }
}
