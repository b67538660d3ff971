import Execution
import TensorCore

// The values that flow along links, one type per ComfyUI link type (compat doc §2.1). Execution
// passes them untouched; a node declares `Input<LatentValue>("samples")` and returns them in
// `NodeOutput`. MODEL, CLIP and VAE are shells until the model issues fill them in.

/// LATENT: `samples` `[B, C, H/8, W/8]` in VAE space (not scaled by the model's factor).
public struct LatentValue: LinkValue {
    public static let comfyType = "LATENT"
    public var samples: Tensor
    /// `noise_mask`, for inpainting.
    public var noiseMask: Tensor?
    /// `batch_index`: per-item noise generation when present.
    public var batchIndex: [Int]?

    public init(samples: Tensor, noiseMask: Tensor? = nil, batchIndex: [Int]? = nil) {
        self.samples = samples
        self.noiseMask = noiseMask
        self.batchIndex = batchIndex
    }
}

/// IMAGE: float32 `[B, H, W, C]`, channels last, values 0...1.
public struct ImageValue: LinkValue {
    public static let comfyType = "IMAGE"
    public var pixels: Tensor
    public init(pixels: Tensor) { self.pixels = pixels }
}

/// MASK: float32 `[B, H, W]`.
public struct MaskValue: LinkValue {
    public static let comfyType = "MASK"
    public var mask: Tensor
    public init(mask: Tensor) { self.mask = mask }
}

/// CONDITIONING: a list of `[cond [1, tokens, dim], options]` entries.
public struct ConditioningValue: LinkValue {
    public static let comfyType = "CONDITIONING"

    public struct Entry: Sendable {
        public var cond: Tensor
        /// `pooled_output`.
        public var pooled: Tensor?
        /// `guidance` (FluxGuidance; feeds Flux-dev's guidance embedding).
        public var guidance: Double?
        public init(cond: Tensor, pooled: Tensor? = nil, guidance: Double? = nil) {
            self.cond = cond
            self.pooled = pooled
            self.guidance = guidance
        }
    }

    public var entries: [Entry]
    public init(_ entries: [Entry]) { self.entries = entries }
}

/// MODEL: a diffusion model with its patches applied (see `DiffusionModel`).
public struct ModelValue: LinkValue {
    public static let comfyType = "MODEL"
    public var model: any DiffusionModel
    public init(model: any DiffusionModel) { self.model = model }
}

/// CLIP: a text encoder with its tokenizer, patches and layer selection (see `TextEncoder`).
public struct CLIPValue: LinkValue {
    public static let comfyType = "CLIP"
    public var clip: any TextEncoder
    public init(clip: any TextEncoder) { self.clip = clip }
}

/// VAE (see `ImageAutoencoder`).
public struct VAEValue: LinkValue {
    public static let comfyType = "VAE"
    public var vae: any ImageAutoencoder
    public init(vae: any ImageAutoencoder) { self.vae = vae }
}
