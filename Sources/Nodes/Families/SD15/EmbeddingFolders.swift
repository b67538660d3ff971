// Matches ComfyUI 0.8.0 comfy/sd1_clip.py load_embed (the `embeddings` folders and every folder
// below them; NAME, NAME.safetensors, NAME.pt, NAME.bin; which tensor of the file is the embedding).
import Checkpoint
import Foundation
import Logging
import Models
import TensorCore
import Workflow

/// Textual-inversion embeddings found in the `embeddings` folders, for the tokenizer.
enum EmbeddingFolders {
    private static let log = Logger(label: "swiftcomfy.embeddings")

    /// The lookup the tokenizer calls for `embedding:NAME`; nil when there are no folders (then
    /// ComfyUI tokenizes the text as written).
    static func lookup(_ folders: [URL]) -> EmbeddingLookup? {
        guard !folders.isEmpty else { return nil }
        return { name in
            guard let file = find(name, in: folders) else { return nil }
            return load(file, name: name)
        }
    }

    /// expand_directory_list: each folder and every folder under it.
    static func directories(_ folders: [URL]) -> [URL] {
        var out: [URL] = []
        for root in folders {
            out.append(root)
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey])
            while let url = walker?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true { out.append(url) }
            }
        }
        return out
    }

    /// The first directory holding NAME (or NAME + .safetensors/.pt/.bin); never outside it.
    static func find(_ name: String, in folders: [URL]) -> URL? {
        for dir in directories(folders) {
            let root = dir.standardizedFileURL.path
            let path = dir.appendingPathComponent(name).standardizedFileURL
            guard path.path.hasPrefix(root + "/") else { continue }
            for candidate in [path.path] + [".safetensors", ".pt", ".bin"].map({ path.path + $0 }) {
                if FileKind.of(candidate).isRegular {
                    return URL(fileURLWithPath: candidate)
                }
            }
        }
        return nil
    }

    /// The vectors of a safetensors embedding: `clip_l`, else the `bundle_emb.*.string_to_param.*`
    /// tensors, else `bundle_emb.*.clip_l`, else the first tensor; one vector per row.
    static func load(_ url: URL, name: String) -> [[Float]]? {
        guard url.path.lowercased().hasSuffix(".safetensors") else {
            log.warning("embedding \(name): \(url.lastPathComponent) is a pickle file, which SwiftComfy does not read; ignoring")
            return nil
        }
        do {
            let file = try SafeTensorsFile(url: url)
            let keys = file.keys.sorted()
            var tensors: [Tensor]
            if keys.contains("clip_l") {
                tensors = [try file.tensor("clip_l")]
            } else {
                tensors = try keys.filter { $0.hasPrefix("bundle_emb.") && $0.hasSuffix(".string_to_param.*") }.map { try file.tensor($0) }
                if tensors.isEmpty {
                    tensors = try keys.filter { $0.hasPrefix("bundle_emb.") && $0.hasSuffix(".clip_l") }.map { try file.tensor($0) }
                }
                if tensors.isEmpty, let first = keys.first { tensors = [try file.tensor(first)] }
            }
            var rows: [[Float]] = []
            for t in tensors {
                let last = t.shape.last ?? 0
                guard last > 0 else { continue }
                let values = t.scalars
                rows += stride(from: 0, to: values.count, by: last).map { Array(values[$0..<($0 + last)]) }
            }
            return rows.isEmpty ? nil : rows
        } catch {
            log.warning("error loading embedding, skipping loading: \(name) (\(error))")
            return nil
        }
    }
}
