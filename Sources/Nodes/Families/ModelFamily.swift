// Matches ComfyUI 0.8.0 comfy/supported_models.py (a family: the unet_config it matches, its
// latent_format, sampling_settings and model type, its clip_target), comfy/model_base.py extra_conds
// (the model inputs made from CONDITIONING) and comfy/sd.py's loaders, as one value per family.
import Checkpoint
import Execution
import Foundation
import Models
import Sampling

/// A model family as data. `Families.all` lists them; the loader nodes iterate that list, so a file
/// of a family without `loaders` is named and refused, never loaded as another family.
public struct ModelFamily: Sendable {
    /// As messages name it ("SD1.x", "SDXL", "Flux").
    public let name: String
    /// model_detection.py detect_unet_config + supported_models.py `matches`, on the diffusion model
    /// under `model.diffusion_model.` (bare files are seen through that prefix too): nil when the
    /// file is not of this family, else a variant note for messages ("" for none).
    public let detect: @Sendable (FamilyProbe) -> String?
    public let latentFormat: LatentFormat
    public let sampling: SamplingSettings
    /// The CLIPLoader / DualCLIPLoader types that make this family's CLIP, and the encoders they take.
    public let textEncoders: [TextEncoderSet]
    /// `extra_conds`: one CONDITIONING entry -> the network's inputs (nil: not written yet).
    public let conditioning: (@Sendable (ConditioningValue.Entry, ConditioningSite) throws -> ModelConditioning)?
    /// What SwiftComfy loads of this family (nil: recognised only).
    public let loaders: Loaders?

    public init(name: String, detect: @escaping @Sendable (FamilyProbe) -> String?, latentFormat: LatentFormat,
                sampling: SamplingSettings, textEncoders: [TextEncoderSet],
                conditioning: (@Sendable (ConditioningValue.Entry, ConditioningSite) throws -> ModelConditioning)?,
                loaders: Loaders?) {
        self.name = name
        self.detect = detect
        self.latentFormat = latentFormat
        self.sampling = sampling
        self.textEncoders = textEncoders
        self.conditioning = conditioning
        self.loaders = loaders
    }

    /// ComfyUI's model type and model sampling class with its `sampling_settings`.
    public enum SamplingSettings: Equatable, Sendable {
        /// ModelSamplingDiscrete with EPS (SD1.x, SDXL) or V_PREDICTION (SD2 768-v).
        case discrete(vPrediction: Bool)
        /// ModelSamplingDiscreteFlow + CONST (SD3 shift 3; Flux schnell shift 1, multiplier 1).
        case discreteFlow(shift: Double, multiplier: Double)
        /// ModelSamplingFlux + CONST (Flux dev, shift 1.15).
        case flux(shift: Double)

        /// The sampling target's model sampling and parametrization, nil where it has none yet.
        public func make() -> (any ModelSampling, NoiseParametrization)? {
            switch self {
            case .discrete(vPrediction: false): return (ModelSamplingDiscrete(), .eps)
            case .flux(let shift): return (ModelSamplingFlux(shift: shift), .const)
            case .discrete(vPrediction: true), .discreteFlow: return nil
            }
        }
    }

    /// A text-encoder loader type: `CLIPLoader` type `stable_diffusion` takes one CLIP-L file.
    public struct TextEncoderSet: Sendable, Equatable {
        public let node: String
        public let type: String
        public let encoders: [TextEncoderKind]
        public init(node: String, type: String, encoders: [TextEncoderKind]) {
            self.node = node
            self.type = type
            self.encoders = encoders
        }
    }

    /// The family's loaders; each is nil where SwiftComfy cannot load that part yet.
    public struct Loaders: Sendable {
        /// CheckpointLoaderSimple (the family applies its own key renames, process_*_state_dict).
        public var checkpoint: (@Sendable (URL, NodeContext) throws -> (ModelValue, CLIPValue, VAEValue))?
        /// UNETLoader: a diffusion-model file, or a checkpoint's diffusion model.
        public var diffusionModel: (@Sendable (URL, UNetWeightDType, NodeContext) throws -> ModelValue)?
        /// CLIPLoader / DualCLIPLoader for one of `textEncoders`, given the files in its order.
        public var textEncoder: (@Sendable (TextEncoderSet, [URL], NodeContext) throws -> CLIPValue)?

        public init(checkpoint: (@Sendable (URL, NodeContext) throws -> (ModelValue, CLIPValue, VAEValue))? = nil,
                    diffusionModel: (@Sendable (URL, UNetWeightDType, NodeContext) throws -> ModelValue)? = nil,
                    textEncoder: (@Sendable (TextEncoderSet, [URL], NodeContext) throws -> CLIPValue)? = nil) {
            self.checkpoint = checkpoint
            self.diffusionModel = diffusionModel
            self.textEncoder = textEncoder
        }
    }

    /// "an SDXL", "a Flux": the name with its article, for messages ("SD" is read letter by letter).
    var withArticle: String { name.hasPrefix("SD") ? "an \(name)" : "a \(name)" }
}

/// What `extra_conds` sees besides the entry: the sampler call's latent (encode_model_conds passes
/// the noise, and width / height = its size * 8 unless the entry sets them).
public struct ConditioningSite: Sendable {
    public var latentShape: [Int]
    public init(latentShape: [Int]) { self.latentShape = latentShape }
    public var width: Int { latentShape.count >= 4 ? latentShape[3] * 8 : 0 }
    public var height: Int { latentShape.count >= 4 ? latentShape[2] * 8 : 0 }
}

/// The keys and shapes a family's `detect` reads (never data), with the UNet config read once.
public final class FamilyProbe {
    /// The file's tensors with its diffusion model under `model.diffusion_model.`.
    public let index: TensorIndex
    public init(_ index: TensorIndex) { self.index = index }

    public func has(_ key: String) -> Bool { index.contains(ModelFileLayout.unetPrefix + key) }
    public func shape(_ key: String) -> [Int]? { index.shapeIfPresent(ModelFileLayout.unetPrefix + key) }

    /// The openaimodel UNet's config (detect_unet_config), nil for a file without `input_blocks`.
    public private(set) lazy var unet: UNetConfig? = {
        guard has("input_blocks.0.0.weight"), has("out.2.weight") else { return nil }
        return try? UNetConfig.detect(in: index, prefix: String(ModelFileLayout.unetPrefix.dropLast()))
    }()
    /// `adm_in_channels` (label_emb), nil without one.
    public var admChannels: Int? { shape("label_emb.0.0.weight")?[1] }
}
