import Execution
import Foundation
import ImageIO
@testable import Nodes
import Testing
import TensorCore
import TestSupport
import Workflow

/// LoadImage against ComfyUI 0.8.0 nodes.py `LoadImage` (Pillow: `convert("RGB")` / 255, mask
/// 1 - alpha or 64x64 zeros) and folder_paths.py `get_annotated_filepath`. Oracles: the reference
/// input PNG and its SHA-256 as ComfyUI recorded it (e2e.json `png_prompt_differences`), and
/// PNGs built byte by byte here (palette) or by our writer, whose samples are known. Exact.
@Suite struct ImageLoadTests {
    static func load(_ name: String, _ env: RunEnvironment) throws -> (image: Tensor, mask: Tensor) {
        let out = try ImageSaveTests.run(LoadImage.self, ["image": .constant(.string(name))], env)
        let image = try #require(out.values.first as? ImageValue), mask = try #require(out.values.last as? MaskValue)
        return (image.pixels, mask.mask)
    }

    @Test func referenceInputImageAndItsFingerprint() throws {
        let env = try ImageSaveTests.folders()
        let source = SharedKit.expected.appendingPathComponent("inputs/img2img_64x64.png")
        try FileManager.default.copyItem(at: source, to: env.inputDirectory.appendingPathComponent("img2img_64x64.png"))
        let (image, mask) = try Self.load("img2img_64x64.png", env)
        #expect(image.shape == [1, 64, 64, 3] && mask.shape == [1, 64, 64])
        #expect(mask.scalars.allSatisfy { $0 == 0 })
        guard case .uint8(let bytes) = try PNGImage.read(url: source).samples else { Issue.record("not 8-bit"); return }
        #expect(image.scalars == bytes.map { Float($0) / 255 })
        let args = Arguments(values: ["image": .constant("img2img_64x64.png")], declaration: LoadImage.declaration)
        let fp = try LoadImage.fingerprint(args, NodeContext(nodeID: "13", classType: "LoadImage", environment: env))
        #expect(fp == "ae54e14a9b6c13aa17b4e71253401cb720ffe91a73ec7cc4b9f824d44d7cd76c")
    }

    @Test func alphaBecomesTheInvertedMaskAndGrayIsReplicated() throws {
        let env = try ImageSaveTests.folders()
        try PNGImage(width: 2, height: 1, channels: 4, samples: .uint8([10, 20, 30, 255, 40, 50, 60, 0]))
            .write(to: env.inputDirectory.appendingPathComponent("rgba.png"))
        let rgba = try Self.load("rgba.png", env)
        #expect(rgba.image.scalars == [10, 20, 30, 40, 50, 60].map { Float($0) / 255 })
        #expect(rgba.mask.shape == [1, 1, 2] && rgba.mask.scalars == [0, 1])
        try PNGImage(width: 1, height: 1, channels: 2, samples: .uint8([200, 51]))
            .write(to: env.inputDirectory.appendingPathComponent("la.png"))
        let la = try Self.load("la.png", env)
        #expect(la.image.scalars == [200, 200, 200].map { Float($0) / 255 } && la.mask.scalars == [1 - Float(51) / 255])
    }

    /// Pillow keeps the high byte of 16-bit RGB(A); 16-bit gray opens as I;16 and clips at 255.
    @Test func sixteenBitFollowsPillow() throws {
        let env = try ImageSaveTests.folders()
        try PNGImage(width: 1, height: 1, channels: 3, samples: .uint16([0x1234, 0xFFFF, 0x00FF]))
            .write(to: env.inputDirectory.appendingPathComponent("rgb16.png"))
        #expect(try Self.load("rgb16.png", env).image.scalars == [0x12, 0xFF, 0x00].map { Float($0) / 255 })
        try PNGImage(width: 2, height: 1, channels: 1, samples: .uint16([100, 4000]))
            .write(to: env.inputDirectory.appendingPathComponent("gray16.png"))
        #expect(try Self.load("gray16.png", env).image.scalars == [100, 100, 100, 255, 255, 255].map { Float($0) / 255 })
    }

    /// A 2x1 palette PNG built here (stored deflate): entries red and half-transparent green.
    @Test func paletteWithTransparencyGivesRGBAndMask() throws {
        let env = try ImageSaveTests.folders()
        let url = env.inputDirectory.appendingPathComponent("palette.png")
        try Data(HandmadePNG.palette(width: 2, indices: [0, 1], rgb: [255, 0, 0, 0, 255, 0], alpha: [255, 128])).write(to: url)
        let png = try PNGImage.read(url: url)
        #expect(png.fromPalette && png.channels == 4)
        let (image, mask) = try Self.load("palette.png", env)
        #expect(image.scalars == [1, 0, 0, 0, 1, 0])
        #expect(mask.scalars == [0, 1 - Float(128) / 255])
        try Data(HandmadePNG.palette(width: 2, indices: [1, 0], rgb: [255, 0, 0, 0, 255, 0], alpha: nil)).write(to: url)
        let opaque = try Self.load("palette.png", env)
        #expect(opaque.image.scalars == [0, 1, 0, 1, 0, 0] && opaque.mask.shape == [1, 64, 64])
    }

    /// `x.png [output]` cuts the annotation and its space; subfolders allowed; `..` refused.
    @Test func annotationsSubfoldersAndRefusals() throws {
        let env = try ImageSaveTests.folders()
        let png = try PNGImage(width: 1, height: 1, channels: 3, samples: .uint8([1, 2, 3]))
        try png.write(to: env.outputDirectory.appendingPathComponent("o.png"))
        try FileManager.default.createDirectory(at: env.inputDirectory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try png.write(to: env.inputDirectory.appendingPathComponent("sub/i.png"))
        #expect(try Self.load("o.png [output]", env).image.scalars == [1, 2, 3].map { Float($0) / 255 })
        #expect(try Self.load("sub/i.png", env).image.shape == [1, 1, 1, 3])
        let escape = try #require(throws: InputFileError.self) { try Self.load("../output/o.png", env) }
        #expect("\(escape)" == "cannot open '../output/o.png' in \(env.inputDirectory.path): the name leaves the folder")
        #expect(throws: InputFileError.self) { try Self.load("missing.png", env) }
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: env.inputDirectory.appendingPathComponent("photo.jpg"))
        let jpeg = try #require(throws: UnsupportedImageFormat.self) { try Self.load("photo.jpg", env) }
        #expect("\(jpeg)".contains("is a JPEG image; SwiftComfy's LoadImage reads PNG only"))
        try Data("not an image".utf8).write(to: env.inputDirectory.appendingPathComponent("bad.png"))
        #expect(throws: PNGError.self) { try Self.load("bad.png", env) }
    }

    /// Before: a FIFO hung in `open`, /dev/zero said "You don't have permission".
    @Test func fifoAndDeviceAreNotRegularFiles() throws {
        let env = try ImageSaveTests.folders()
        try makeFIFO(at: env.inputDirectory.appendingPathComponent("fifo.png"))
        try FileManager.default.createSymbolicLink(atPath: env.inputDirectory.appendingPathComponent("zero.png").path,
                                                   withDestinationPath: "/dev/zero")
        for (name, what) in [("fifo.png", "a FIFO"), ("zero.png", "a character device")] {
            let message = try withinTimeout { () -> String? in
                do { _ = try Self.load(name, env); return nil } catch { return "\(error)" }
            }
            #expect(message == "cannot open '\(name)' in \(env.inputDirectory.path): not a regular file (\(what))")
        }
    }
}

/// A PNG assembled chunk by chunk with a stored (uncompressed) zlib stream: an oracle independent
/// of libpng's encoder.
enum HandmadePNG {
    static func palette(width: Int, indices: [UInt8], rgb: [UInt8], alpha: [UInt8]?) -> [UInt8] {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", be32(width) + be32(1) + [8, 3, 0, 0, 0])
        png += chunk("PLTE", rgb)
        if let alpha { png += chunk("tRNS", alpha) }
        let raw: [UInt8] = [0] + indices           // filter type 0, one row
        var zlib: [UInt8] = [0x78, 0x01, 0x01] + le16(raw.count) + le16(~raw.count & 0xFFFF) + raw
        zlib += be32(Int(adler32(raw)))
        png += chunk("IDAT", zlib)
        png += chunk("IEND", [])
        return png
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(data.count) + body + be32(Int(crc32(body)))
    }

    static func be32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
    static func le16(_ v: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        return b << 16 | a
    }
}
