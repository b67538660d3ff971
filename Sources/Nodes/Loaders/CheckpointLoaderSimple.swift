// Matches ComfyUI 0.8.0 nodes.py CheckpointLoaderSimple (comfy/sd.py load_checkpoint_guess_config).
import Execution
import Logging
import Models

/// ComfyUI 0.8.0 nodes.py `CheckpointLoaderSimple`: a single-file checkpoint -> MODEL, CLIP, VAE.
public enum CheckpointLoaderSimple: NodeDefinition {
    public static let ckptName = Input<ModelFile>("ckpt_name", folder: "checkpoints")

    public static let declaration = NodeDeclaration(
        "CheckpointLoaderSimple", displayName: "Load Checkpoint", category: "loaders",
        description: "Loads a diffusion model checkpoint, diffusion models are used to denoise latents.",
        inputs: [ckptName], outputs: [.model, .clip, .vae])

    /// Detects the family (SD1.x only; others are refused naming what was found), loads the
    /// weights once as Float32 and returns the three models sharing them.
    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let file = try a[ckptName]
        let checkpoint = try SD15Checkpoint.load(url: try ctx.modelPath(file))
        let base = SD15Base(checkpoint)
        let clip = try SD15TextEncoder(base: base, embeddingFolders: ctx.environment.models.folders(for: "embeddings"))
        Logger(label: "swiftcomfy.loaders").info("loaded SD1.5 checkpoint \(file.name)")
        return NodeOutput(ModelValue(model: SD15DiffusionModel(base: base)), CLIPValue(clip: clip),
                          VAEValue(vae: SD15VAE(checkpoint.vae)))
    }
}
