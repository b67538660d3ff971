// The one list of model families (ComfyUI 0.8.0 comfy/supported_models.py `models`, for the
// families SwiftComfy recognises) and what a model file holds, decided from keys and shapes.
import Checkpoint
import Models

/// Every family SwiftComfy recognises, in detection order. Families with `loaders` run; the others
/// are named in the refusal of their files. Adding a family: see Docs/architecture.md.
public enum Families {
    public static let all: [ModelFamily] = [.sd15, .sd15Variants, .sd2, .sdxl, .sd3, .flux]

    /// The families SwiftComfy loads.
    public static var supported: [ModelFamily] { all.filter { $0.loaders != nil } }
    static var supportedNames: [String] { supported.map(\.name) }

    /// The first family whose detection matches the diffusion model of `index` (under
    /// `model.diffusion_model.`), with its variant note.
    static func family(of index: TensorIndex) -> (family: ModelFamily, note: String)? {
        let probe = FamilyProbe(index)
        for family in all {
            if let note = family.detect(probe) { return (family, note) }
        }
        return nil
    }
}

/// What a model file holds, as the loader nodes tell files apart before loading anything.
public enum ModelFileContents {
    case checkpoint(ModelFamily, note: String)
    case diffusionModel(ModelFamily, note: String)
    case textEncoder(TextEncoderKind)
    case vae(latentChannels: Int)
    case lora
    case unknown(summary: String)

    /// Reads the header of `index`'s file: a diffusion model of a known family (under the checkpoint
    /// prefix with other parts: a checkpoint), else a text encoder, a VAE, a LoRA.
    public static func of(_ index: TensorIndex) throws -> ModelFileContents {
        if let (family, note) = Families.family(of: index) {
            return ModelFileLayout.hasPartsBesidesTheUNet(index) ? .checkpoint(family, note: note) : .diffusionModel(family, note: note)
        }
        if let (family, note) = Families.family(of: try ModelFileLayout.diffusionModelIndex(files: index.files)) {
            return .diffusionModel(family, note: note)
        }
        if let kind = TextEncoderKind.detect(in: index) { return .textEncoder(kind) }
        if let prefix = VAEConfig.prefix(in: index),
           let z = index.shapeIfPresent((prefix.isEmpty ? "" : prefix + ".") + "decoder.conv_in.weight")?[1] {
            return .vae(latentChannels: z)
        }
        if ModelFileLayout.looksLikeLoRA(index) { return .lora }
        let keys = index.keys
        return .unknown(summary: "\(keys.count) tensors, first: \(keys.prefix(3).joined(separator: ", "))")
    }

    /// "an SDXL checkpoint", "a Flux diffusion model (dev: guidance embedding)", "a VAE (16 latent channels)".
    public var phrase: String {
        func noted(_ s: String, _ note: String) -> String { note.isEmpty ? s : "\(s) (\(note))" }
        switch self {
        case let .checkpoint(f, note): return noted("\(f.withArticle) checkpoint", note)
        case let .diffusionModel(f, note): return noted("\(f.withArticle) diffusion model", note)
        case .textEncoder(let kind): return "a \(kind.rawValue) text encoder"
        case .vae(let z): return "a VAE (\(z) latent channels)"
        case .lora: return "a LoRA"
        case .unknown(let summary): return "no model of a known family (\(summary))"
        }
    }

    /// The node that loads such a file.
    var loader: String {
        switch self {
        case .checkpoint: return "CheckpointLoaderSimple"
        case .diffusionModel: return "UNETLoader"
        case .textEncoder: return "CLIPLoader"
        case .vae: return "VAELoader"
        case .lora, .unknown: return "LoraLoader"
        }
    }

    /// The family of a checkpoint or diffusion model.
    var family: ModelFamily? {
        switch self {
        case .checkpoint(let f, _), .diffusionModel(let f, _): return f
        default: return nil
        }
    }

    /// Why a loader expecting `expected` ("a checkpoint") cannot load this file.
    func refusal(file: String, expected: String) -> ArchitectureError {
        if let family, family.loaders == nil {
            return .unsupportedFamily(file: file, kind: phrase, supported: Families.supportedNames)
        }
        if case .unknown(let summary) = self {
            return .notA("\(expected) of a family SwiftComfy knows (supported: \(Families.supportedNames.joined(separator: ", ")))",
                         file: file, found: summary, missing: [])
        }
        return .wrongPart(file: file, kind: phrase, expected: expected, loader: loader)
    }
}
