import Foundation

/// A PNG's pixels as stored samples: 8- or 16-bit, 1-4 channels (gray, gray+alpha, RGB, RGBA),
/// rows top to bottom, channels interleaved (NHWC without the batch). Read with `read(url:)` or
/// `decode(_:)`, write with `write(to:compressionLevel:)` (see PNGCodec.swift).
///
/// Reading expands what PIL expands for ComfyUI's LoadImage: a palette becomes RGB, or RGBA when the
/// palette has a tRNS chunk; 1/2/4-bit gray becomes 8-bit gray scaled to 0...255. A tRNS chunk of a
/// gray or RGB image is ignored (PIL gives no alpha band there either). No gamma is applied.
public struct PNGImage: Sendable, Equatable {
    public enum Samples: Sendable, Equatable {
        case uint8([UInt8])
        case uint16([UInt16])
    }

    public let width: Int
    public let height: Int
    /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    public let channels: Int
    public let samples: Samples
    /// Set by the reader: the image came from a palette (with `channels == 4`: its tRNS chunk).
    public internal(set) var fromPalette = false
    /// Text chunks (tEXt, zTXt, iTXt) in file order; set by the reader, written by the writer.
    public var texts: [PNGText] = []

    public init(width: Int, height: Int, channels: Int, samples: Samples, texts: [PNGText] = []) throws {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw PNGError.invalidImage("size \(width)x\(height): a PNG needs at least 1x1 pixels")
        }
        guard (1...4).contains(channels) else {
            throw PNGError.invalidImage("\(channels) channels: a PNG has 1 to 4")
        }
        let expected = width * height * channels
        guard samples.count == expected else {
            throw PNGError.invalidImage("\(samples.count) samples for \(width)x\(height)x\(channels) = \(expected)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = samples
        self.texts = texts
    }

    /// 8 or 16.
    public var bitDepth: Int { if case .uint8 = samples { return 8 } else { return 16 } }
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// ComfyUI's SaveImage quantisation of `[H, W, C]` values in 0...1: `uint8(clip(255·x, 0, 255))`,
    /// truncating (numpy `astype(uint8)`), not rounding. NaN becomes 0.
    public static func quantized(unit values: UnsafeBufferPointer<Float>, width: Int, height: Int,
                                 channels: Int) throws -> PNGImage {
        var bytes = [UInt8](repeating: 0, count: values.count)
        for i in 0..<values.count {
            let v = 255 * values[i]
            bytes[i] = v >= 255 ? 255 : (v > 0 ? UInt8(v) : 0)   // NaN fails both tests: 0
        }
        return try PNGImage(width: width, height: height, channels: channels, samples: .uint8(bytes))
    }

    /// Every sample divided by the largest value of the depth (255 or 65535), as Float32.
    public func unitFloats() -> [Float] {
        switch samples {
        case .uint8(let s): return s.map { Float($0) / 255 }
        case .uint16(let s): return s.map { Float($0) / 65535 }
        }
    }

    /// The first text chunk named `key`.
    public func text(_ key: String) -> String? { texts.first { $0.key == key }?.text }
}

extension PNGImage.Samples {
    public var count: Int {
        switch self {
        case .uint8(let s): return s.count
        case .uint16(let s): return s.count
        }
    }
}

/// One text chunk. The writer stores it as tEXt when the text is Latin-1 and as iTXt otherwise,
/// as PIL's `PngInfo.add_text` does.
public struct PNGText: Sendable, Equatable {
    public let key: String
    public let text: String
    public init(_ key: String, _ text: String) {
        self.key = key
        self.text = text
    }
}

public enum PNGError: Error, Equatable, CustomStringConvertible {
    /// libpng or the signature check refused the bytes.
    case corrupt(file: String, reason: String)
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)
    case invalidImage(String)
    case encodingFailed(String)

    public var description: String {
        switch self {
        case let .corrupt(file, reason): return "cannot decode PNG \(file): \(reason)"
        case let .unreadable(file, reason): return "cannot read \(file): \(reason)"
        case let .unwritable(file, reason): return "cannot write \(file): \(reason)"
        case .invalidImage(let reason): return "cannot make a PNG: \(reason)"
        case .encodingFailed(let reason): return "cannot encode PNG: \(reason)"
        }
    }
}
