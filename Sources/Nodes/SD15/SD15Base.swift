// Matches ComfyUI 0.8.0 comfy/sd.py load_checkpoint_guess_config as CheckpointLoaderSimple uses it:
// one loaded SD1.x checkpoint behind the MODEL, CLIP and VAE values (ModelPatcher's base model).
import Checkpoint
import Models

/// A loaded SD1.x checkpoint shared by every MODEL/CLIP value made from it (and by every
/// LoRA-patched variant): the weights held once (as stored), the base models built from them, and
/// what a LoRA can land on.
public final class SD15Base: @unchecked Sendable {
    public let checkpoint: SD15Checkpoint
    private let targets: Lazy<(unet: LoRATarget, clip: LoRATarget)>

    public init(_ checkpoint: SD15Checkpoint) {
        self.checkpoint = checkpoint
        let weights = checkpoint.weights
        targets = Lazy {
            (LoRATarget(shapes: weights.shapes(under: SD15Checkpoint.unetPrefix + ".")),
             LoRATarget(shapes: weights.shapes(under: SD15Checkpoint.clipPrefix + ".")))
        }
    }

    /// The UNet's weights as LoRA resolution sees them (`model.diffusion_model.*`).
    func unetTarget() throws -> LoRATarget { try targets.get().unet }
    /// The text encoder's (`cond_stage_model.transformer.text_model.*`).
    func clipTarget() throws -> LoRATarget { try targets.get().clip }

    /// The held weights with the stack's patches: each patched tensor computed from the base
    /// tensor (never from an earlier patch), every other tensor shared with the base.
    func patchedWeights(_ stack: LoRAStack, halfPrecision: Bool) throws -> HeldWeights {
        let base = checkpoint.weights
        let patched = try LoRAPatcher.patchedWeights(stack.patchList, precision: halfPrecision ? .float16 : .float32) {
            base.tensors[$0]
        }
        return base.overlaid(with: patched)
    }
}
