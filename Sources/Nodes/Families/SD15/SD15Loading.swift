// Matches ComfyUI 0.8.0 comfy/sd.py for SD1.x files: load_checkpoint_guess_config
// (CheckpointLoaderSimple), load_diffusion_model (UNETLoader) and load_clip with
// CLIPType.STABLE_DIFFUSION (CLIPLoader), each returning the values the nodes output.
import Execution
import Foundation
import Logging
import Models

/// The SD1.x family's loaders (`ModelFamily.sd15.loaders`).
enum SD15Loading {
    static let log = Logger(label: "swiftcomfy.loaders")

    /// The three models of a checkpoint, sharing the weights held once.
    @Sendable static func checkpoint(_ url: URL, _ ctx: NodeContext) throws -> (ModelValue, CLIPValue, VAEValue) {
        let checkpoint = try SD15Checkpoint.load(url: url)
        let base = SD15Base(checkpoint)
        let clip = try SD15TextEncoder(base: base, embeddingFolders: ctx.environment.models.folders(for: "embeddings"))
        log.info("loaded SD1.5 checkpoint \(url.lastPathComponent)")
        return (ModelValue(model: try SD15DiffusionModel(base: base)), CLIPValue(clip: clip),
                VAEValue(vae: AutoencoderKL(checkpoint.vae)))
    }

    /// A bare SD1.x UNet file, or a checkpoint's UNet. ComfyUI holds SD1.x in fp32 on the CPU with
    /// `weight_dtype` default; the fp8 choices cast the weights to fp8, which SwiftComfy does not do yet.
    @Sendable static func diffusionModel(_ url: URL, _ dtype: UNetWeightDType, _ ctx: NodeContext) throws -> ModelValue {
        guard dtype == .default else { throw UnsupportedWeightDType(dtype: dtype, family: ModelFamily.sd15.name) }
        let part = try SD15Checkpoint.loadDiffusionModel(index: ModelFileLayout.diffusionModelIndex(url: url))
        log.info("loaded SD1.5 diffusion model \(url.lastPathComponent)")
        return ModelValue(model: try SD15DiffusionModel(base: SD15Base(part)))
    }

    /// CLIPLoader(type stable_diffusion): a CLIP-L file as SD1ClipModel with the SD1 tokenizer.
    @Sendable static func textEncoder(_ set: ModelFamily.TextEncoderSet, _ urls: [URL], _ ctx: NodeContext) throws -> CLIPValue {
        guard let url = urls.first, urls.count == 1 else { throw UnexpectedFileCount(node: set.node, count: urls.count) }
        let part = try SD15Checkpoint.loadTextEncoder(index: SD15Checkpoint.textEncoderIndex(url: url))
        log.info("loaded SD1.5 text encoder \(url.lastPathComponent)")
        return CLIPValue(clip: try SD15TextEncoder(base: SD15Base(part),
                                                   embeddingFolders: ctx.environment.models.folders(for: "embeddings")))
    }
}

/// UNETLoader `weight_dtype` that the file's family cannot honour yet.
public struct UnsupportedWeightDType: Error, CustomStringConvertible {
    public let dtype: UNetWeightDType
    public let family: String
    public var description: String {
        "weight_dtype '\(dtype.rawValue)' is not supported for \(family) diffusion models yet (use 'default')"
    }
}

struct UnexpectedFileCount: Error, CustomStringConvertible {
    let node: String, count: Int
    var description: String { "\(node) got \(count) text-encoder files" }
}
