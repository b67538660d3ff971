import Checkpoint
import Dispatch
import Execution
import Foundation
import ImageIO
import TensorCore
import Workflow

/// Matches ComfyUI 0.8.0 nodes.py `SaveImage.save_images` (PreviewImage is the same with another
/// folder, prefix suffix, compression and type): one PNG per batch item, numbered from the
/// folder's next counter, each with a tEXt `prompt` (`json.dumps(prompt)`) and one tEXt per
/// `extra_pnginfo` key.
struct ImageSaving {
    let folder: URL
    let type: String            // "output" or "temp", as the UI result reports it
    let compressionLevel: Int

    func save(_ images: ImageValue, prefix: String, prompt: JSONValue?, extraPNGInfo: JSONValue?) throws -> NodeOutput {
        let pixels = images.pixels
        guard pixels.rank == 4, pixels.shape[0] > 0, (1...4).contains(pixels.shape[3]) else {
            throw ImageShapeError(shape: pixels.shape)
        }
        let (batch, height, width, channels) = (pixels.shape[0], pixels.shape[1], pixels.shape[2], pixels.shape[3])
        let naming = try SaveNaming(prefix: prefix, outputDirectory: folder, width: width, height: height)
        let texts = Self.metadata(prompt: prompt, extraPNGInfo: extraPNGInfo)

        // Encoding (zlib) is the slow part: items in parallel, files written in order.
        var encoded = [Result<[UInt8], Error>](repeating: .success([]), count: batch)
        let perItem = height * width * channels
        encoded.withUnsafeMutableBufferPointer { out in
            let out = SendableBuffer(out)
            DispatchQueue.concurrentPerform(iterations: batch) { b in
                out[b] = Result {
                    var image = try pixels.withUnsafeBufferPointer { all in
                        try PNGImage.quantized(unit: UnsafeBufferPointer(rebasing: all[(b * perItem)..<((b + 1) * perItem)]),
                                               width: width, height: height, channels: channels)
                    }
                    image.texts = texts
                    return try image.encoded(compressionLevel: compressionLevel)
                }
            }
        }
        var results: [JSONValue] = [], files: [URL] = []
        var next = naming.counter
        for b in 0..<batch {
            let bytes = try encoded[b].get()
            // Each name is claimed exclusively (written whole, then linked without replacing):
            // a counter another writer took meanwhile moves this item to the next one.
            let counter = try AtomicFile.claim(from: next, name: {
                naming.folder.appendingPathComponent(naming.name(batch: b, counter: $0, extension: "png"))
            }) { url in
                do { try AtomicFile.write(bytes, to: url, replacing: false) } catch let e as CheckpointError {
                    throw PNGError.unwritable(file: url.path, reason: "\(e)")
                }
            }
            next = counter + 1
            let name = naming.name(batch: b, counter: counter, extension: "png")
            let url = naming.folder.appendingPathComponent(name)
            files.append(url)
            results.append(["filename": .string(name), "subfolder": .string(naming.subfolder), "type": .string(type)])
        }
        return NodeOutput(values: [], ui: JSONObject([("images", .array(results))]), files: files)
    }

    /// The PNG text chunks: `prompt` first, then the extra_pnginfo keys in order.
    static func metadata(prompt: JSONValue?, extraPNGInfo: JSONValue?) -> [PNGText] {
        var texts: [PNGText] = []
        if let prompt { texts.append(PNGText("prompt", prompt.serialized(.python))) }
        for (key, value) in extraPNGInfo?.objectValue ?? JSONObject() {
            texts.append(PNGText(key, value.serialized(.python)))
        }
        return texts
    }
}

struct ImageShapeError: Error, CustomStringConvertible {
    let shape: [Int]
    var description: String { "expected an IMAGE [B, H, W, C] with B ≥ 1 and 1 to 4 channels, got \(shape)" }
}

/// A buffer the items of a `concurrentPerform` write disjoint elements of.
struct SendableBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
    subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}
