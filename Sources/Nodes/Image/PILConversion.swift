import ImageIO
import TensorCore

/// What ComfyUI 0.8.0's LoadImage gets from Pillow for a PNG: `convert("RGB")` / 255 and, when the
/// image has an alpha band (or a palette with transparency), the mask `1 - alpha / 255`; otherwise
/// a 64x64 zero mask. Pillow's 16-bit modes are reproduced: RGB(A) and gray+alpha keep the high
/// byte (rawmodes `RGB;16B`, `RGBA;16B`, `LA;16B`); 16-bit gray opens as `I;16`, which converts to
/// RGB clipped at 255 (Pillow `I16_RGB`); 1/2/4-bit gray is scaled to 0...255 as libpng does.
enum PILConversion {
    static func imageAndMask(_ png: PNGImage) -> (image: Tensor, mask: Tensor) {
        let (w, h, c) = (png.width, png.height, png.channels)
        let eight: [UInt8]
        switch png.samples {
        case .uint8(let s): eight = s
        case .uint16(let s):
            eight = c == 1 ? s.map { UInt8(min($0, 255)) } : s.map { UInt8($0 >> 8) }
        }
        var rgb = [Float](repeating: 0, count: w * h * 3)
        var alpha: [Float]? = png.hasAlpha ? [Float](repeating: 0, count: w * h) : nil
        for p in 0..<(w * h) {
            let src = p * c
            if c >= 3 {
                for k in 0..<3 { rgb[p * 3 + k] = Float(eight[src + k]) / 255 }
            } else {
                let v = Float(eight[src]) / 255
                rgb[p * 3] = v; rgb[p * 3 + 1] = v; rgb[p * 3 + 2] = v
            }
            if alpha != nil { alpha![p] = 1 - Float(eight[src + c - 1]) / 255 }
        }
        let image = Tensor(shape: [1, h, w, 3], scalars: rgb)
        let mask = alpha.map { Tensor(shape: [1, h, w], scalars: $0) } ?? .zeros([1, 64, 64])
        return (image, mask)
    }
}
