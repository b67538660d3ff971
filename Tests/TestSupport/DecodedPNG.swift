import CZlib
import Foundation

/// A small PNG reader for tests, written from the PNG specification (ISO/IEC 15948) and
/// independent of ImageIO/libpng, so it can judge what SaveImage wrote: 8-bit grey, grey+alpha,
/// RGB or RGBA, not interlaced (what Pillow and SaveImage write). Also returns the `tEXt` chunks.
public struct DecodedPNG {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// Row-major, interleaved channels.
    public let pixels: [UInt8]
    /// `tEXt` keyword -> text (Latin-1), in file order for duplicates the last wins.
    public let text: [String: String]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(contentsOf url: URL) throws {
        let data = [UInt8](try Data(contentsOf: url))
        guard data.count > 8, data.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw Failure(description: "\(url.path) is not a PNG")
        }
        var offset = 8
        var header: [UInt8] = []
        var compressed: [UInt8] = []
        var text: [String: String] = [:]
        func be32(_ i: Int) -> Int { Int(data[i]) << 24 | Int(data[i + 1]) << 16 | Int(data[i + 2]) << 8 | Int(data[i + 3]) }
        while offset + 12 <= data.count {
            let length = be32(offset)
            let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard offset + 12 + length <= data.count else { throw Failure(description: "\(url.path): chunk \(type) runs past the end") }
            let body = Array(data[(offset + 8)..<(offset + 8 + length)])
            switch type {
            case "IHDR": header = body
            case "IDAT": compressed += body
            case "tEXt":
                if let nul = body.firstIndex(of: 0) {
                    let key = String(body[..<nul].map { Character(Unicode.Scalar($0)) })
                    text[key] = String(body[(nul + 1)...].map { Character(Unicode.Scalar($0)) })
                }
            default: break
            }
            offset += 12 + length
            if type == "IEND" { break }
        }
        guard header.count == 13 else { throw Failure(description: "\(url.path): no IHDR") }
        width = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        height = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
        let (depth, colour, interlace) = (header[8], header[9], header[12])
        guard depth == 8, interlace == 0, let c = [0: 1, 2: 3, 4: 2, 6: 4][Int(colour)] else {
            throw Failure(description: "\(url.path): unsupported PNG (bit depth \(depth), colour type \(colour), interlace \(interlace))")
        }
        channels = c
        self.text = text
        let stride = width * c
        let raw = try Self.inflate(compressed, expected: height * (stride + 1), file: url.path)
        pixels = try Self.unfilter(raw, width: width, height: height, channels: c, file: url.path)
    }

    static func inflate(_ input: [UInt8], expected: Int, file: String) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expected)
        var size = uLongf(expected)
        let status = input.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                uncompress(dst.baseAddress, &size, src.baseAddress, uLong(src.count))
            }
        }
        guard status == Z_OK, Int(size) == expected else {
            throw Failure(description: "\(file): image data does not inflate to \(expected) bytes (zlib status \(status))")
        }
        return output
    }

    /// Undoes the per-row filters (None, Sub, Up, Average, Paeth).
    static func unfilter(_ raw: [UInt8], width: Int, height: Int, channels c: Int, file: String) throws -> [UInt8] {
        let stride = width * c
        var out = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            let src = y * (stride + 1) + 1, row = y * stride, up = row - stride
            for x in 0..<stride {
                let a = x >= c ? Int(out[row + x - c]) : 0
                let b = y > 0 ? Int(out[up + x]) : 0
                let d = x >= c && y > 0 ? Int(out[up + x - c]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - d, pa = abs(p - a), pb = abs(p - b), pc = abs(p - d)
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : d)
                default: throw Failure(description: "\(file): unknown filter \(filter) in row \(y)")
                }
                out[row + x] = UInt8((Int(raw[src + x]) + predictor) & 0xFF)
            }
        }
        return out
    }
}
