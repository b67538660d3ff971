// Matches ComfyUI 0.8.0 comfy/model_base.py BaseModel (SD15: ModelSamplingDiscrete, EPS, latent
// format SD15 with scale factor 0.18215) with comfy/model_patcher.py's LoRA patches applied.
import Models
import Sampling
import TensorCore

/// MODEL of an SD1.x checkpoint or diffusion-model file: the base UNet, or the UNet rebuilt from
/// the base weights with a LoRA stack's patched tensors (built on first use; untouched tensors
/// shared with the base).
public struct SD15DiffusionModel: DiffusionModel, LoRAPatchableModel {
    public let base: SD15Base
    public let loras: LoRAStack
    private let built: Lazy<(weights: HeldWeights, unet: UNet)>

    public var family: ModelFamily { .sd15 }
    public let modelSampling: any ModelSampling = ModelSamplingDiscrete()
    public var parametrization: NoiseParametrization { .eps }

    /// The MODEL of `base`; throws when `base` has no UNet (a CLIPLoader file).
    public init(base: SD15Base, loras: LoRAStack = LoRAStack()) throws {
        guard base.unet != nil else { throw SD15PartMissing(file: base.file, part: "UNet") }
        self.init(checked: base, loras: loras)
    }

    private init(checked base: SD15Base, loras: LoRAStack) {
        self.base = base
        self.loras = loras
        built = Lazy {
            guard let unet = base.unet else { throw SD15PartMissing(file: base.file, part: "UNet") }
            if loras.isEmpty { return (base.weights, unet) }
            let weights = try base.patchedWeights(loras, halfPrecision: false)
            return (weights, try UNet(WeightScope(weights, prefix: SD15Checkpoint.unetPrefix), config: unet.config))
        }
    }

    /// The UNet's eps for `x` (already scaled by c_in), cross-attending to `c_crossattn`.
    public func predict(_ x: Tensor, timesteps: Tensor, conditioning: ModelConditioning) throws -> Tensor {
        try built.get().unet(x, timesteps: timesteps, context: conditioning.tensor(.crossAttention))
    }

    /// The weights this model computes with (the base's, overlaid with the patched tensors).
    public func heldWeights() throws -> HeldWeights { try built.get().weights }

    public func loraTarget() throws -> LoRATarget { try base.unetTarget() }

    public func withLoRAs(_ stack: LoRAStack) -> any DiffusionModel { SD15DiffusionModel(checked: base, loras: stack) }
}

/// An SD1.x value asked of a file that does not have that part.
public struct SD15PartMissing: Error, CustomStringConvertible {
    public let file: String
    public let part: String
    public var description: String { "\(file) has no SD1.x \(part)" }
}
