import Foundation
import ImageIO
import Testing
import TestSupport

/// PNG through libpng. Oracles: our own writer's input (round trips are exact: PNG is lossless),
/// the reference PNGs ComfyUI 0.8.0 (Pillow) wrote (../shared/reference/expected/e2e/*.png), and
/// hand-computed values for the SaveImage quantisation. Exact comparisons throughout.
@Suite struct PNGCodecTests {
    static func image(_ w: Int, _ h: Int, _ c: Int) throws -> PNGImage {
        try PNGImage(width: w, height: h, channels: c, samples: .uint8((0..<(w * h * c)).map { UInt8(($0 * 37 + 11) % 256) }))
    }

    @Test(arguments: [1, 2, 3, 4]) func eightBitRoundTripIsExact(channels: Int) throws {
        let original = try Self.image(7, 5, channels)
        let back = try PNGImage.decode(Data(original.encoded(compressionLevel: 4)))
        #expect(back == original)
        #expect(back.bitDepth == 8 && back.channels == channels)
    }

    @Test func sixteenBitRoundTripIsExact() throws {
        let samples = (0..<(3 * 2 * 4)).map { UInt16(truncatingIfNeeded: $0 &* 2_731 &+ 257) }
        let original = try PNGImage(width: 3, height: 2, channels: 4, samples: .uint16(samples))
        let back = try PNGImage.decode(Data(original.encoded(compressionLevel: 1)))
        #expect(back.samples == .uint16(samples))
        #expect(back.unitFloats()[1] == Float(samples[1]) / 65535)
    }

    @Test func textChunksComeBackInOrderLatin1AndUTF8() throws {
        var original = try Self.image(2, 2, 3)
        original.texts = [PNGText("prompt", "{\"a\": 1}"), PNGText("workflow", "caf\u{E9}"), PNGText("note", "\u{1F600} ok")]
        let bytes = try original.encoded()
        let back = try PNGImage.decode(Data(bytes))
        #expect(back.texts == original.texts)
        // Latin-1 text is tEXt (as PIL writes it), the emoji forces iTXt; text comes before IDAT.
        let ascii = String(decoding: bytes.map { $0 < 128 ? $0 : 46 }, as: UTF8.self)
        #expect(ascii.contains("tEXtprompt") && ascii.contains("tEXtworkflow") && ascii.contains("iTXtnote"))
        let prompt = try #require(ascii.range(of: "tEXtprompt")), data = try #require(ascii.range(of: "IDAT"))
        #expect(prompt.lowerBound < data.lowerBound)
    }

    /// SaveImage: `uint8(clip(255·x, 0, 255))` truncates: 0.5 → 127 (rounding would give 128).
    @Test func quantisationTruncates() throws {
        let values: [Float] = [0.5, 0.999, 1.5, -1, .nan, 1, 0, 0.0039]
        let image = try values.withUnsafeBufferPointer { try PNGImage.quantized(unit: $0, width: 8, height: 1, channels: 1) }
        #expect(image.samples == .uint8([127, 254, 255, 0, 0, 255, 0, 0]))
    }

    @Test func referencePNGsDecodeAs64x64RGBWithAPromptChunk() throws {
        let dir = SharedKit.expected.appendingPathComponent("e2e")
        let pngs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") }
        #expect(pngs.count >= 17)
        for name in pngs {
            let image = try PNGImage.read(url: dir.appendingPathComponent(name))
            #expect(image.width == 64 && image.height == 64 && image.channels == 3 && image.bitDepth == 8, "\(name)")
            #expect(image.texts.map(\.key) == ["prompt"], "\(name)")
        }
    }

    @Test func corruptFilesAreErrorsNotTraps() throws {
        let url = SharedKit.expected.appendingPathComponent("e2e/euler_normal_6.png")
        let bytes = try Data(contentsOf: url)
        let truncated = try #require(throws: PNGError.self) { try PNGImage.decode(bytes.prefix(bytes.count / 2), name: "half.png") }
        #expect("\(truncated)".hasPrefix("cannot decode PNG half.png: "))
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x5A     // inside IDAT: a CRC or zlib error
        #expect(throws: PNGError.self) { try PNGImage.decode(flipped) }
        let notPNG = try #require(throws: PNGError.self) { try PNGImage.decode(Data("GIF89a....".utf8), name: "x.gif") }
        #expect(notPNG == .corrupt(file: "x.gif", reason: "not a PNG file (bad signature)"))
        #expect(throws: PNGError.self) { try PNGImage.decode(Data(), name: "empty.png") }
        #expect(throws: PNGError.self) { try PNGImage.read(url: URL(fileURLWithPath: "/nonexistent/x.png")) }
    }

    @Test func invalidImagesAreRefusedBeforeLibpng() {
        #expect(throws: PNGError.self) { try PNGImage(width: 0, height: 1, channels: 3, samples: .uint8([])) }
        #expect(throws: PNGError.self) { try PNGImage(width: 1, height: 1, channels: 5, samples: .uint8([0, 0, 0, 0, 0])) }
        #expect(throws: PNGError.self) { try PNGImage(width: 2, height: 1, channels: 3, samples: .uint8([0, 0, 0])) }
    }
}
