// Matches ComfyUI 0.8.0 comfy/sd.py load_checkpoint_guess_config as CheckpointLoaderSimple uses it
// (and load_diffusion_model / load_clip for the single-part files): the loaded SD1.x weights behind
// the MODEL and CLIP values (ModelPatcher's base model).
import Checkpoint
import Models

/// Loaded SD1.x weights shared by every MODEL/CLIP value made from them (and by every
/// LoRA-patched variant): the weights held once (as stored), the base models built from them, and
/// what a LoRA can land on. A checkpoint has both models; a UNETLoader or CLIPLoader file one.
public final class SD15Base: @unchecked Sendable {
    public let weights: HeldWeights
    public let unet: UNet?
    public let clip: CLIPTextEncoder?
    public let file: String
    /// Tensors of the file no model read (logged at debug level when loading).
    public let unusedKeys: [String]
    private let targets: Lazy<(unet: LoRATarget, clip: LoRATarget)>

    public convenience init(_ checkpoint: SD15Checkpoint) {
        self.init(weights: checkpoint.weights, unet: checkpoint.unet, clip: checkpoint.clip, file: checkpoint.file,
                  unusedKeys: checkpoint.unusedKeys)
    }

    public convenience init(_ part: SD15Part<UNet>) {
        self.init(weights: part.weights, unet: part.model, clip: nil, file: part.file, unusedKeys: part.unusedKeys)
    }

    public convenience init(_ part: SD15Part<CLIPTextEncoder>) {
        self.init(weights: part.weights, unet: nil, clip: part.model, file: part.file, unusedKeys: part.unusedKeys)
    }

    init(weights: HeldWeights, unet: UNet?, clip: CLIPTextEncoder?, file: String, unusedKeys: [String]) {
        self.weights = weights
        self.unet = unet
        self.clip = clip
        self.file = file
        self.unusedKeys = unusedKeys
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
        let base = weights
        let patched = try LoRAPatcher.patchedWeights(stack.patchList, precision: halfPrecision ? .float16 : .float32) {
            base.tensors[$0]
        }
        return base.overlaid(with: patched)
    }
}
