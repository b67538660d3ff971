// Matches ComfyUI 0.8.0 nodes.py CheckpointLoaderSimple (comfy/sd.py load_checkpoint_guess_config).
import Execution
import Models

/// ComfyUI 0.8.0 nodes.py `CheckpointLoaderSimple`: a single-file checkpoint -> MODEL, CLIP, VAE.
public enum CheckpointLoaderSimple: NodeDefinition {
    public static let ckptName = Input<ModelFile>("ckpt_name", folder: "checkpoints")

    public static let declaration = NodeDeclaration(
        "CheckpointLoaderSimple", displayName: "Load Checkpoint", category: "loaders",
        description: "Loads a diffusion model checkpoint, diffusion models are used to denoise latents.",
        inputs: [ckptName], outputs: [.model, .clip, .vae])

    /// Detects the family from the file (`Families.all`) and loads it with that family's loader;
    /// a file of another family or part is refused by name.
    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let (model, clip, vae) = try Families.loadCheckpoint(try ctx.modelPath(try a[ckptName]), ctx)
        return NodeOutput(model, clip, vae)
    }
}
