import Execution
import TensorCore

/// ComfyUI 0.8.0 nodes.py `ImageScale` ("Upscale Image"): both 0 is a passthrough; 0 on one side
/// keeps the aspect (`max(1, round(...))`); then `common_upscale` on the channels-first image.
public enum ImageScale: NodeDefinition {
    public static let image = Input<ImageValue>("image")
    public static let upscaleMethod = Input<ImageUpscaleMethod>("upscale_method")
    public static let width = Input<Int>("width", default: 512, min: 0, max: 16384, step: 1)
    public static let height = Input<Int>("height", default: 512, min: 0, max: 16384, step: 1)
    public static let crop = Input<CropMode>("crop")

    public static let declaration = NodeDeclaration(
        "ImageScale", displayName: "Upscale Image", category: "image/upscaling",
        inputs: [image, upscaleMethod, width, height, crop], outputs: [.image])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let input = try a[image]
        var (w, h) = (try a[width], try a[height])
        if w == 0 && h == 0 { return NodeOutput(input) }
        let shape = input.pixels.shape
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else { throw UpscaleError.shape(shape) }
        if w == 0 {
            w = max(1, CommonUpscale.pythonRound(Double(shape[2]) * Double(h) / Double(shape[1])))
        } else if h == 0 {
            h = max(1, CommonUpscale.pythonRound(Double(shape[1]) * Double(w) / Double(shape[2])))
        }
        let method = try CommonUpscale.Method.from(try a[upscaleMethod].rawValue)
        let planar = ChannelOrder.channelsFirst(input.pixels)
        let resized = try CommonUpscale.resize(planar, width: w, height: h, method: method, crop: try a[crop])
        return NodeOutput(ImageValue(pixels: ChannelOrder.channelsLast(resized)))
    }
}

/// `movedim(-1, 1)` and back between IMAGE `[B, H, W, C]` and `[B, C, H, W]`.
enum ChannelOrder {
    static func channelsFirst(_ x: Tensor) -> Tensor { permute(x, toLast: false) }
    static func channelsLast(_ x: Tensor) -> Tensor { permute(x, toLast: true) }

    private static func permute(_ x: Tensor, toLast: Bool) -> Tensor {
        let s = x.shape
        let (b, c, h, w) = toLast ? (s[0], s[1], s[2], s[3]) : (s[0], s[3], s[1], s[2])
        var out = Tensor(shape: toLast ? [b, h, w, c] : [b, c, h, w], uninitialized: ())
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for n in 0..<b {
                    for y in 0..<h {
                        for xx in 0..<w {
                            for ch in 0..<c {
                                let first = ((n * c + ch) * h + y) * w + xx, last = ((n * h + y) * w + xx) * c + ch
                                if toLast { dst[last] = src[first] } else { dst[first] = src[last] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
