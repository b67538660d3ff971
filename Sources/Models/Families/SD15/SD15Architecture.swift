// Matches ComfyUI 0.8.0 comfy/model_detection.py (which family a state dict is) and
// supported_models.py SD15 (context_dim 768, model_channels 320, no label_emb, conv projections),
// refusing every other family with what was found and what is missing.
import Checkpoint

/// Which model family a checkpoint holds, decided from its keys and a few shapes (never data).
public enum SD15Architecture {
    public struct Configs: Equatable, Sendable {
        public var unet: UNetConfig
        public var clip: CLIPConfig
        public var vae: VAEConfig
    }

    static let u = SD15Checkpoint.unetPrefix + "."
    /// The keys whose presence makes a file an SD1.x checkpoint (one per part).
    static let requiredKeys = [
        u + "input_blocks.0.0.weight",
        u + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight",
        u + "out.2.weight",
        SD15Checkpoint.clipPrefix + ".embeddings.token_embedding.weight",
        SD15Checkpoint.vaePrefix + ".decoder.conv_in.weight",
        SD15Checkpoint.vaePrefix + ".encoder.conv_in.weight",
    ]

    /// The SD1.x configs of `index`, or an error saying which family it is and what is missing.
    public static func detect(in index: TensorIndex) throws -> Configs {
        if let other = otherFamily(index) {
            throw ArchitectureError.unsupported(file: index.file, found: other, missing: [])
        }
        let missing = requiredKeys.filter { !index.contains($0) }
        guard missing.isEmpty else {
            throw ArchitectureError.unsupported(file: index.file, found: partsFound(index), missing: missing)
        }
        let unet = try UNetConfig.detect(in: index, prefix: SD15Checkpoint.unetPrefix)
        if let problem = sd1Mismatch(unet) {
            throw ArchitectureError.unsupported(file: index.file, found: problem, missing: [])
        }
        return Configs(unet: unet,
                       clip: try CLIPConfig.detect(in: index, prefix: SD15Checkpoint.clipPrefix),
                       vae: try VAEConfig.detect(in: index, prefix: SD15Checkpoint.vaePrefix))
    }

    /// Families recognised by a signature key (model_detection.py's first checks).
    static func otherFamily(_ index: TensorIndex) -> String? {
        let has = { (k: String) in index.contains(k) || index.contains(u + k) }
        if has("double_blocks.0.img_attn.qkv.weight") { return "a Flux transformer (double_blocks.*)" }
        if has("joint_blocks.0.context_block.attn.qkv.weight") { return "an SD3 MMDiT (joint_blocks.*)" }
        if index.contains(u + "label_emb.0.0.weight") || index.contains("conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight") {
            return "an SDXL checkpoint (label_emb, conditioner.embedders.*)"
        }
        if !index.contains(u + "input_blocks.0.0.weight") && index.contains("input_blocks.0.0.weight") {
            return "a bare UNet without the model.diffusion_model. prefix (a diffusion-model file, not a checkpoint)"
        }
        if index.contains("decoder.conv_in.weight") && !index.contains(u + "input_blocks.0.0.weight") {
            return "a standalone VAE (encoder.*/decoder.*): load it with VAELoader"
        }
        return nil
    }

    /// How a detected UNet differs from SD1.x (supported_models.py SD15.unet_config), or nil.
    static func sd1Mismatch(_ c: UNetConfig) -> String? {
        if c.contextDim != 768 {
            return c.contextDim == 1024 ? "an SD2.x UNet (cross-attention context 1024, SD1.x has 768)"
                                        : "a UNet with cross-attention context \(c.contextDim) (SD1.x has 768)"
        }
        if c.linearProjection { return "a UNet with linear proj_in/proj_out (SD1.x uses 1x1 convolutions)" }
        if c.inChannels != 4 { return "a UNet with \(c.inChannels) input channels (inpainting/instruct; SD1.x has 4)" }
        if c.modelChannels != 320 { return "a UNet with \(c.modelChannels) model channels (SD1.x has 320)" }
        return nil
    }

    /// A one-line inventory of the parts present, for error messages.
    static func partsFound(_ index: TensorIndex) -> String {
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

    /// Where a standalone VAE file keeps its tensors: "" or "first_stage_model".
    static func vaePrefix(in index: TensorIndex) throws -> String {
        if index.contains("decoder.conv_in.weight") { return "" }
        if index.contains(SD15Checkpoint.vaePrefix + ".decoder.conv_in.weight") { return SD15Checkpoint.vaePrefix }
        let found = index.contains("decoder.up_blocks.0.resnets.0.norm1.weight")
            ? "a diffusers-layout VAE (decoder.up_blocks.*), which is not supported"
            : "no VAE decoder; \(index.keys.count) tensors, first: \(index.keys.prefix(3).joined(separator: ", "))"
        throw ArchitectureError.unsupported(file: index.file, found: found, missing: ["decoder.conv_in.weight"])
    }
}

/// A file that is not of the family a loader expects.
public enum ArchitectureError: Error, Equatable, CustomStringConvertible {
    case unsupported(file: String, found: String, missing: [String])

    public var description: String {
        switch self {
        case let .unsupported(file, found, missing):
            var text = "\(file) is not a supported SD1.x model file: found \(found)"
            if !missing.isEmpty { text += "; missing \(missing.joined(separator: ", "))" }
            return text
        }
    }
}
