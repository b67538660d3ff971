// Matches ComfyUI 0.8.0 comfy/model_base.py BaseModel (SD15: ModelSamplingDiscrete, EPS, latent
// format SD15 with scale factor 0.18215) with comfy/model_patcher.py's LoRA patches applied.
import Models
import Sampling
import TensorCore

/// MODEL of an SD1.x checkpoint: the base UNet, or the UNet rebuilt from the base weights with a
/// LoRA stack's patched tensors (built on first use; untouched tensors shared with the base).
public struct SD15DiffusionModel: DiffusionModel, LoRAPatchableModel {
    public let base: SD15Base
    public let loras: LoRAStack
    private let built: Lazy<(weights: HeldWeights, unet: UNet)>

    public let modelSampling: any ModelSampling = ModelSamplingDiscrete()
    public var parametrization: NoiseParametrization { .eps }
    public var latentChannels: Int { base.checkpoint.unet.config.inChannels }
    public var latentScaleFactor: Float { 0.18215 }

    public init(base: SD15Base, loras: LoRAStack = LoRAStack()) {
        self.base = base
        self.loras = loras
        if loras.isEmpty {
            built = Lazy(built: (base.checkpoint.weights, base.checkpoint.unet))
        } else {
            built = Lazy {
                let weights = try base.patchedWeights(loras, halfPrecision: false)
                let unet = try UNet(WeightScope(weights, prefix: SD15Checkpoint.unetPrefix), config: base.checkpoint.configs.unet)
                return (weights, unet)
            }
        }
    }

    /// The UNet's eps for `x` (already scaled by c_in); the pooled output and guidance are not
    /// inputs of the SD1.5 UNet.
    public func predict(_ x: Tensor, timesteps: Tensor, context: Tensor, pooled: Tensor?, guidance: Tensor?) throws -> Tensor {
        try built.get().unet(x, timesteps: timesteps, context: context)
    }

    /// The weights this model computes with (the base's, overlaid with the patched tensors).
    public func heldWeights() throws -> HeldWeights { try built.get().weights }

    public func loraTarget() throws -> LoRATarget { try base.unetTarget() }

    public func withLoRAs(_ stack: LoRAStack) -> any DiffusionModel { SD15DiffusionModel(base: base, loras: stack) }
}
