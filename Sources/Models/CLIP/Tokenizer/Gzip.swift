// Inflates a gzip file with the system zlib (used for the bundled CLIP vocabulary).
import CZlib
import Foundation

enum Gzip {
    struct Failure: Error, CustomStringConvertible {
        let file: String, reason: String
        var description: String { "cannot inflate \(file): \(reason)" }
    }

    /// The decompressed bytes of a gzip stream (`name` only labels errors).
    static func inflate(_ compressed: Data, name: String) throws -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16: expect a gzip header, not a raw zlib one.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(file: name, reason: "zlib initialisation failed")
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        output.reserveCapacity(compressed.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        try compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard let base = input.bindMemory(to: Bytef.self).baseAddress else {
                throw Failure(file: name, reason: "empty file")
            }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return buffer.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    throw Failure(file: name, reason: "zlib error \(status)")
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_OK && produced == 0 && stream.avail_in == 0 {
                    throw Failure(file: name, reason: "truncated stream")
                }
            } while status != Z_STREAM_END
        }
        return output
    }
}
