// Matches ComfyUI 0.8.0 comfy/model_detection.py (the UNet config from the keys and shapes) and
// supported_models.py SD15 (context_dim 768, model_channels 320, no label_emb, conv projections):
// the SD1.x configs of a checkpoint, a diffusion-model file or a CLIP-L file, or what was found.
import Checkpoint

/// The SD1.x parts of a file, decided from its keys and a few shapes (never data). Which family
/// another file is belongs to the family list (Nodes `Families`); this only says why it is not SD1.x.
public enum SD15Architecture {
    public struct Configs: Equatable, Sendable {
        public var unet: UNetConfig
        public var clip: CLIPConfig
        public var vae: VAEConfig
    }

    static let u = SD15Checkpoint.unetPrefix + "."
    /// The keys whose presence makes a file an SD1.x checkpoint (one per part).
    public static let requiredKeys = [
        u + "input_blocks.0.0.weight",
        u + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight",
        u + "out.2.weight",
        SD15Checkpoint.clipPrefix + ".embeddings.token_embedding.weight",
        SD15Checkpoint.vaePrefix + ".decoder.conv_in.weight",
        SD15Checkpoint.vaePrefix + ".encoder.conv_in.weight",
    ]

    /// The SD1.x configs of a checkpoint, or an error saying what was found and what is missing.
    public static func detect(in index: TensorIndex) throws -> Configs {
        let missing = requiredKeys.filter { !index.contains($0) }
        guard missing.isEmpty else {
            throw ArchitectureError.notA("an SD1.x checkpoint", file: index.file, found: partsFound(index), missing: missing)
        }
        return Configs(unet: try unetConfig(in: index),
                       clip: try CLIPConfig.detect(in: index, prefix: SD15Checkpoint.clipPrefix),
                       vae: try VAEConfig.detect(in: index, prefix: SD15Checkpoint.vaePrefix))
    }

    /// The config of the UNet under `model.diffusion_model.` when it is SD1.x's (any input channel
    /// count: inpainting UNets are SD1.x in ComfyUI too), else an error naming the difference.
    public static func unetConfig(in index: TensorIndex) throws -> UNetConfig {
        let unet = try UNetConfig.detect(in: index, prefix: SD15Checkpoint.unetPrefix)
        if let problem = mismatch(unet, index) {
            throw ArchitectureError.notA("an SD1.x UNet", file: index.file, found: problem, missing: [])
        }
        return unet
    }

    /// True when `index` holds an SD1.x UNet under `model.diffusion_model.` (supported_models.SD15.matches).
    public static func holdsUNet(_ index: TensorIndex) -> Bool {
        index.contains(u + "input_blocks.0.0.weight") && (try? unetConfig(in: index)) != nil
    }

    /// How a detected UNet differs from supported_models.py SD15.unet_config, or nil.
    public static func mismatch(_ c: UNetConfig, _ index: TensorIndex) -> String? {
        if c.contextDim != 768 { return "a UNet with cross-attention context \(c.contextDim) (SD1.x has 768)" }
        if c.linearProjection { return "a UNet with linear proj_in/proj_out (SD1.x uses 1x1 convolutions)" }
        if c.modelChannels != 320 { return "a UNet with \(c.modelChannels) model channels (SD1.x has 320)" }
        if index.contains(u + "label_emb.0.0.weight") { return "a UNet with a label_emb (ADM) input (SD1.x has none)" }
        return nil
    }

    /// A one-line inventory of the parts present, for error messages.
    public static func partsFound(_ index: TensorIndex) -> String {
        let keys = index.keys
        let parts = [(SD15Checkpoint.unetPrefix, "UNet"), (SD15Checkpoint.clipPrefix, "text encoder"),
                     (SD15Checkpoint.vaePrefix, "VAE")].compactMap { prefix, name -> String? in
            let n = keys.filter { $0.hasPrefix(prefix + ".") }.count
            return n > 0 ? "\(name) (\(prefix).*, \(n) tensors)" : nil
        }
        if parts.isEmpty {
            return "no SD1.x parts; \(keys.count) tensors, first: \(keys.prefix(3).joined(separator: ", "))"
        }
        return parts.joined(separator: ", ")
    }
}
