// Matches ComfyUI 0.8.0 comfy/sd.py load_checkpoint_guess_config (CheckpointLoaderSimple) for the
// SD1.x family: architecture from the keys (model_detection.py), configs from the shapes, the text
// encoder renamed as supported_models.py SD15.process_clip_state_dict does.
import Foundation
import Checkpoint
import Logging

/// The three models of an SD1.x single-file checkpoint, as CheckpointLoaderSimple returns them.
public struct SD15Checkpoint {
    public let unet: UNet                  // MODEL (model.diffusion_model.*), float32 compute
    public let clip: CLIPTextEncoder       // CLIP (cond_stage_model.transformer.text_model.*), fp16 weights
    public let vae: VAE                    // VAE (first_stage_model.*), float32 compute
    public let file: String
    /// The configs detected from the shapes (rebuilding a model with patched weights uses them).
    public let configs: SD15Architecture.Configs
    /// The file's tensors under ComfyUI's names (mapped, not copied).
    public let index: TensorIndex
    /// Every weight of the three models, held once in its stored dtype (mapped; the text encoder
    /// of a F32 or BF16 file rounded to fp16): the models above share these tensors' bytes. A LoRA
    /// rebuilds a model from `weights.overlaid(with: patched)`, e.g.
    /// `UNet(WeightScope(weights.overlaid(with: p), prefix: unetPrefix), config: configs.unet)`.
    public let weights: HeldWeights
    /// Tensors of the file no model read (0 for a plain SD1.x checkpoint; logged at debug level).
    public let unusedKeys: [String]

    public static let unetPrefix = "model.diffusion_model"
    public static let clipPrefix = "cond_stage_model.transformer.text_model"
    public static let vaePrefix = "first_stage_model"

    /// Opens `url` with ComfyUI's key renaming: the older text encoder spelling without
    /// `text_model.` gains it (keys that already have it stay as they are).
    public static func index(url: URL) throws -> TensorIndex {
        try TensorIndex(url: url, rename: [
            .replacePrefix(clipPrefix + ".", with: clipPrefix + "."),
            .replacePrefix("cond_stage_model.transformer.", with: clipPrefix + "."),
        ])
    }

    /// Detects the architecture, infers the configs and loads all three models (weights mapped).
    public static func load(url: URL) throws -> SD15Checkpoint {
        try load(index: index(url: url))
    }

    public static func load(index: TensorIndex) throws -> SD15Checkpoint {
        let started = Date()
        let configs = try SD15Architecture.detect(in: index)
        // Every weight as stored (mapped); the text encoder rounded to fp16 once where it is not.
        // position_ids is read by nobody in ComfyUI either: CLIPEmbeddings uses 0..<77 directly.
        // Another load of the same file that is still alive shares its weights.
        let skip: Set<String> = [clipPrefix + ".embeddings.position_ids"]
        let weights = try HeldWeightsCache.shared.weights(for: index) {
            try HeldWeights(index, parts: [(unetPrefix, .float32), (clipPrefix, .float16), (vaePrefix, .float32)], skip: skip)
        }
        let unet = try UNet(WeightScope(weights, prefix: unetPrefix), config: configs.unet)
        let clip = try CLIPTextEncoder(WeightScope(weights, prefix: clipPrefix, precision: .float16),
                                       config: configs.clip)
        let vae = try VAE(WeightScope(weights, prefix: vaePrefix), config: configs.vae)
        let log = Logger(label: "swiftcomfy.models")
        let unused = (index.keys.filter { !weights.contains($0) && !skip.contains($0) } + weights.unreadKeys).sorted()
        if !unused.isEmpty {
            log.debug("\(index.file): \(unused.count) tensors not used, first: \(unused.prefix(5))")
        }
        log.debug("loaded \(index.file) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        return SD15Checkpoint(unet: unet, clip: clip, vae: vae, file: index.file, configs: configs, index: index,
                              weights: weights, unusedKeys: unused)
    }
}

extension VAE {
    /// VAELoader: a standalone VAE file (`encoder.*`, `decoder.*`, `quant_conv.*`, `post_quant_conv.*`;
    /// a `first_stage_model.` prefix is accepted too; 4 or 16 latent channels, the quant convs
    /// optional as in the Flux VAE), float32.
    public static func load(url: URL) throws -> VAE {
        try load(index: TensorIndex(url: url))
    }

    public static func load(index: TensorIndex) throws -> VAE {
        guard let prefix = VAEConfig.prefix(in: index) else { throw notAVAE(index) }
        return try VAE(WeightScope(index, prefix: prefix), config: VAEConfig.detect(in: index, prefix: prefix))
    }

    /// What a file without an AutoencoderKL decoder holds instead.
    public static func notAVAE(_ index: TensorIndex) -> ArchitectureError {
        let found = index.contains("decoder.up_blocks.0.resnets.0.norm1.weight")
            ? "a diffusers-layout VAE (decoder.up_blocks.*), which is not supported"
            : "no VAE decoder; \(index.keys.count) tensors, first: \(index.keys.prefix(3).joined(separator: ", "))"
        return .notA("a VAE", file: index.file, found: found, missing: ["decoder.conv_in.weight"])
    }
}
