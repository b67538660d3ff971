import Checkpoint
import Execution
import Foundation
import ImageIO
import Workflow

/// ComfyUI 0.8.0 nodes.py `LoadImage`: an image of the input folder -> IMAGE `[1, H, W, 3]`, MASK
/// (1 - alpha, or 64x64 zeros). Names may carry a subfolder and an `[input]`/`[output]`/`[temp]`
/// annotation. `IS_CHANGED` = SHA-256 of the file. PNG only: SwiftComfy links no JPEG/WebP decoder,
/// and a PNG's animation frames (APNG) and EXIF orientation are not applied.
public enum LoadImage: NodeDefinition {
    public static let image = Input<InputFile>("image", inputFile: "image", options: ["image_upload": true])

    public static let declaration = NodeDeclaration(
        "LoadImage", displayName: "Load Image", category: "image", inputs: [image], outputs: [.image, .mask])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let url = try AnnotatedFile.url(try a[image].name, in: ctx.environment)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PNGError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        if let format = UnsupportedImageFormat.sniff(data) { throw UnsupportedImageFormat(format: format, file: url.path) }
        let (pixels, mask) = PILConversion.imageAndMask(try PNGImage.decode(data, name: url.path))
        return NodeOutput(ImageValue(pixels: pixels), MaskValue(mask: mask))
    }

    public static func fingerprint(_ a: Arguments, _ ctx: NodeContext) throws -> JSONValue? {
        .string(try SHA256.hex(ofFile: try AnnotatedFile.url(try a[image].name, in: ctx.environment)))
    }
}

/// An image LoadImage recognises but cannot decode.
struct UnsupportedImageFormat: Error, CustomStringConvertible {
    let format: String, file: String
    var description: String {
        "\(file) is a \(format) image; SwiftComfy's LoadImage reads PNG only (no \(format) decoder is linked): convert it to PNG"
    }

    static func sniff(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(12))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "JPEG" }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return "WebP" }
        if head.starts(with: Array("GIF8".utf8)) { return "GIF" }
        if head.starts(with: Array("BM".utf8)) { return "BMP" }
        return nil
    }
}
