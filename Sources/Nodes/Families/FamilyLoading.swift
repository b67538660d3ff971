// Matches ComfyUI 0.8.0 comfy/sd.py load_checkpoint_guess_config, load_diffusion_model and
// load_clip (which family a file is, then that family's loading), for the loader nodes: each
// goes through `Families.all`, and a file of a family or part it cannot load is refused by name.
import Checkpoint
import Execution
import Foundation
import Models

extension Families {
    /// CheckpointLoaderSimple.
    static func loadCheckpoint(_ url: URL, _ ctx: NodeContext) throws -> (ModelValue, CLIPValue, VAEValue) {
        let index = try TensorIndex(url: url)
        let contents = try ModelFileContents.of(index)
        guard case .checkpoint(let family, _) = contents, let load = family.loaders?.checkpoint else {
            throw contents.refusal(file: index.file, expected: "a checkpoint")
        }
        return try load(url, ctx)
    }

    /// UNETLoader: a diffusion-model file, or the diffusion model of a checkpoint (as ComfyUI).
    static func loadDiffusionModel(_ url: URL, weightDType: UNetWeightDType, _ ctx: NodeContext) throws -> ModelValue {
        let index = try TensorIndex(url: url)
        let contents = try ModelFileContents.of(index)
        guard let family = contents.family, let load = family.loaders?.diffusionModel else {
            throw contents.refusal(file: index.file, expected: "a diffusion model")
        }
        return try load(url, weightDType, ctx)
    }

    /// CLIPLoader / DualCLIPLoader: the family whose text-encoder set is `node` + `type` with
    /// these files' encoders (in any order, as ComfyUI detects each file).
    static func loadTextEncoders(node: String, type: String, _ urls: [URL], _ ctx: NodeContext) throws -> CLIPValue {
        var files: [(name: String, kind: TextEncoderKind)] = []
        for url in urls {
            let index = try TensorIndex(url: url)
            guard let kind = TextEncoderKind.detect(in: index) else {
                throw try ModelFileContents.of(index).refusal(file: index.file, expected: "a text encoder")
            }
            files.append((index.file, kind))
        }
        let sets = all.flatMap { family in family.textEncoders.filter { $0.node == node && $0.type == type }.map { (family, $0) } }
        guard !sets.isEmpty else { throw TextEncoderTypeError.noFamily(node: node, type: type, supported: supportedNames) }
        let kinds = files.map(\.kind.rawValue).sorted()
        guard let (family, set) = sets.first(where: { $0.1.encoders.map(\.rawValue).sorted() == kinds }) else {
            throw TextEncoderTypeError.wrongEncoders(node: node, type: type, files: files.map { "\($0.name) (\($0.kind.rawValue))" },
                                                     expected: sets.map { $0.1.encoders.map(\.rawValue).joined(separator: " + ") })
        }
        guard let load = family.loaders?.textEncoder else {
            throw TextEncoderTypeError.unsupportedFamily(node: node, type: type, family: family.name,
                                                         files: files.map { "\($0.name) (\($0.kind.rawValue))" },
                                                         supported: supportedNames)
        }
        return try load(set, urls, ctx)
    }

    /// VAELoader: an AutoencoderKL file of any family (the layout comes from the file, as comfy/sd.py
    /// VAE decides it); another kind of file is named.
    static func loadVAE(_ url: URL) throws -> VAEValue {
        let index = try TensorIndex(url: url)
        guard VAEConfig.prefix(in: index) != nil else {
            let contents = try ModelFileContents.of(index)
            if case .unknown = contents { throw VAE.notAVAE(index) }
            throw contents.refusal(file: index.file, expected: "a VAE")
        }
        return VAEValue(vae: AutoencoderKL(try VAE.load(index: index)))
    }
}

/// A CLIPLoader / DualCLIPLoader `type` that cannot make a CLIP from these files.
public enum TextEncoderTypeError: Error, Equatable, CustomStringConvertible {
    case noFamily(node: String, type: String, supported: [String])
    case wrongEncoders(node: String, type: String, files: [String], expected: [String])
    case unsupportedFamily(node: String, type: String, family: String, files: [String], supported: [String])

    public var description: String {
        switch self {
        case let .noFamily(node, type, supported):
            return "\(node) type '\(type)' belongs to no family SwiftComfy knows; supported families: \(supported.joined(separator: ", "))"
        case let .wrongEncoders(node, type, files, expected):
            return "\(node) type '\(type)' takes \(expected.joined(separator: " or ")); got \(files.joined(separator: ", "))"
        case let .unsupportedFamily(node, type, family, files, supported):
            return "\(files.joined(separator: " + ")) with \(node) type '\(type)' \(files.count == 1 ? "is" : "are") "
                + "the \(family) text encoder\(files.count == 1 ? "" : "s"); supported families: \(supported.joined(separator: ", "))"
        }
    }
}
