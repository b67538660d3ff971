// Loads of the same checkpoint file share its Float32 weights while any model made from them is
// alive (two CheckpointLoaderSimple nodes naming one file, a test process loading it twice).
// The weights are never mutated (a LoRA overlays them), so sharing cannot change a result.
import Checkpoint
import Foundation

final class HeldWeightsCache: @unchecked Sendable {
    static let shared = HeldWeightsCache()

    private struct Entry { weak var weights: HeldWeights? }
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// The live weights of the same file (same path, size and modification date), else `load()`.
    func weights(for index: TensorIndex, load: () throws -> HeldWeights) throws -> HeldWeights {
        guard let key = Self.identity(index) else { return try load() }
        lock.lock(); defer { lock.unlock() }   // held while loading: a second load of the file waits
        if let live = entries[key]?.weights { return live }
        let weights = try load()
        entries = entries.filter { $0.value.weights != nil }
        entries[key] = Entry(weights: weights)
        return weights
    }

    /// "path|size|mtime" of the file(s), or nil when a file's attributes cannot be read.
    static func identity(_ index: TensorIndex) -> String? {
        var parts: [String] = []
        for file in index.files {
            let path = file.url.standardizedFileURL.path
            guard let a = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = a[.size] as? NSNumber, let date = a[.modificationDate] as? Date else { return nil }
            parts.append("\(path)|\(size)|\(date.timeIntervalSince1970)")
        }
        return parts.joined(separator: "+")
    }
}
