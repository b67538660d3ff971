import CPNG
import Foundation

// Reading and writing through libpng (1.6). Every libpng call happens inside the C shim
// (Sources/CPNG/shim.h), which turns libpng's longjmp errors into return values: a corrupt or
// truncated file is a thrown `PNGError`, never a crash.

extension PNGImage {
    /// PIL's decompression-bomb limit (`Image.MAX_IMAGE_PIXELS * 2`), above which it refuses a file.
    public static let maxPixels = 2 * 89_478_485

    /// Reads and decodes the PNG at `url`.
    public static func read(url: URL) throws -> PNGImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PNGError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try decode(data, name: url.path)
    }

    /// Decodes PNG bytes; `name` appears in errors.
    public static func decode(_ data: Data, name: String = "<memory>") throws -> PNGImage {
        var decoded = scpng_decoded()
        let ok = data.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return 0 }
            return scpng_decode(base, raw.count, UInt64(maxPixels), &decoded)
        }
        guard ok == 1 else {
            let reason = data.isEmpty ? "empty file" : Self.message(&decoded.message)
            throw PNGError.corrupt(file: name, reason: reason)
        }
        defer { scpng_free(&decoded) }
        let (width, height, channels) = (Int(decoded.width), Int(decoded.height), Int(decoded.channels))
        let count = width * height * channels
        let samples: Samples
        if decoded.bit_depth == 16 {
            samples = .uint16(Array(UnsafeBufferPointer(start: UnsafeRawPointer(decoded.pixels)?
                .assumingMemoryBound(to: UInt16.self), count: count)))
        } else {
            samples = .uint8(Array(UnsafeBufferPointer(start: decoded.pixels, count: count)))
        }
        var image = try PNGImage(width: width, height: height, channels: channels, samples: samples,
                                 texts: Self.texts(decoded.texts, decoded.text_bytes))
        image.fromPalette = decoded.color_type == PNG_COLOR_TYPE_PALETTE
        return image
    }

    /// The PNG bytes: text chunks (in order) before the image data, zlib `compressionLevel` 0-9.
    public func encoded(compressionLevel: Int = 6) throws -> [UInt8] {
        var message = [CChar](repeating: 0, count: Int(SCPNG_MESSAGE))
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        let level = Int32(max(0, min(9, compressionLevel)))
        let keys = texts.map { Array($0.key.utf8CString) }
        let values = texts.map { Self.chunkBytes($0.text) }
        let ok: Int32 = withTextChunks(keys: keys, values: values) { chunks in
            withSampleBytes { pixels in
                scpng_encode(pixels, UInt32(width), UInt32(height), Int32(channels), Int32(bitDepth),
                             chunks.baseAddress, Int32(chunks.count), level, &out, &size, &message)
            }
        }
        guard ok == 1, let out else { throw PNGError.encodingFailed(Self.message(&message)) }
        defer { scpng_release(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    /// Encodes and writes the file (replacing it).
    public func write(to url: URL, compressionLevel: Int = 6) throws {
        let bytes = try encoded(compressionLevel: compressionLevel)
        do { try Data(bytes).write(to: url, options: .atomic) } catch {
            throw PNGError.unwritable(file: url.path, reason: error.localizedDescription)
        }
    }

    // MARK: helpers

    private func withSampleBytes<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
        switch samples {
        case .uint8(let s): return s.withUnsafeBufferPointer { body($0.baseAddress!) }
        case .uint16(let s):
            return s.withUnsafeBytes { body($0.bindMemory(to: UInt8.self).baseAddress!) }
        }
    }

    /// Latin-1 bytes for tEXt when every scalar fits, else UTF-8 for iTXt (PIL `add_text`).
    private static func chunkBytes(_ text: String) -> (bytes: [CChar], utf8: Bool) {
        if text.unicodeScalars.allSatisfy({ $0.value <= 0xFF }) {
            return (text.unicodeScalars.map { CChar(bitPattern: UInt8($0.value)) } + [0], false)
        }
        return (Array(text.utf8CString), true)
    }

    private func withTextChunks<R>(keys: [[CChar]], values: [(bytes: [CChar], utf8: Bool)],
                                   _ body: (UnsafeBufferPointer<scpng_text>) -> R) -> R {
        // Pointers stay valid: the arrays live until `body` returns (pinned below).
        var chunks: [scpng_text] = []
        let keyPointers = keys.map { k -> UnsafeMutablePointer<CChar> in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: k.count)
            p.initialize(from: k, count: k.count)
            return p
        }
        let valuePointers = values.map { v -> UnsafeMutablePointer<CChar> in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: v.bytes.count)
            p.initialize(from: v.bytes, count: v.bytes.count)
            return p
        }
        defer { (keyPointers + valuePointers).forEach { $0.deallocate() } }
        for i in keys.indices {
            chunks.append(scpng_text(key: keyPointers[i], text: valuePointers[i], length: values[i].bytes.count - 1,
                                     utf8: values[i].utf8 ? 1 : 0))
        }
        return chunks.withUnsafeBufferPointer(body)
    }

    private static func message<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Unpacks the shim's text buffer: kind byte, u32 key length, key, u32 text length, text.
    private static func texts(_ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int) -> [PNGText] {
        guard let buffer, size > 0 else { return [] }
        let raw = UnsafeRawBufferPointer(start: buffer, count: size)
        var at = 0, out: [PNGText] = []
        func u32() -> Int? {
            guard at + 4 <= size else { return nil }
            defer { at += 4 }
            return Int(raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        }
        while at < size {
            let utf8 = raw[at] == 1
            at += 1
            guard let keyLength = u32(), at + keyLength <= size else { break }
            let key = String(decoding: raw[at..<(at + keyLength)], as: UTF8.self)
            at += keyLength
            guard let length = u32(), at + length <= size else { break }
            let bytes = raw[at..<(at + length)]
            at += length
            let text = utf8 ? String(decoding: bytes, as: UTF8.self)
                : String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
            out.append(PNGText(key, text))
        }
        return out
    }
}
