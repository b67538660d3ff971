import Dispatch
import Foundation
import TensorCore

/// Matches ComfyUI 0.8.0 comfy/utils.py `lanczos`: the image goes through Pillow as 8-bit
/// (`uint8(clip(255·x, 0, 255))`, truncated), `Image.resize(LANCZOS)`, back as `/255`. The resize
/// follows Pillow's libImaging/Resample.c for 8-bit bands: lanczos-3 weights (support widened by
/// the downscale factor: antialiased), normalised, turned into 22-bit fixed point, horizontal pass
/// first into an 8-bit image of the rows the vertical pass needs, then the vertical pass, each
/// rounding and clipping to 0...255. `[planes, H, W]`, planes in parallel.
enum Lanczos {
    static let precisionBits = 32 - 8 - 2

    static func resize(_ x: Tensor, height outH: Int, width outW: Int) -> Tensor {
        let (planes, inH, inW) = (x.shape[0], x.shape[1], x.shape[2])
        let horizontal = coefficients(input: inW, output: outW), vertical = coefficients(input: inH, output: outH)
        let needH = outW != inW, needV = outH != inH
        let first = needH ? vertical.bounds.first?.start ?? 0 : 0
        let last = needH ? (vertical.bounds.last.map { $0.start + $0.count } ?? inH) : inH
        var out = Tensor(shape: [planes, outH, outW], uninitialized: ())
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let dst = SendableBuffer(dst)
                DispatchQueue.concurrentPerform(iterations: planes) { p in
                    var image = (0..<(inH * inW)).map { i -> UInt8 in
                        let v = 255 * src[p * inH * inW + i]
                        return v >= 255 ? 255 : (v > 0 ? UInt8(v) : 0)
                    }
                    var (h, w) = (inH, inW)
                    if needH {
                        image = pass(image, lines: last - first, length: inW, stride: 1, lineStride: inW, lineStart: first * inW,
                                     coefficients: horizontal, outStride: 1, outLineStride: outW)
                        (h, w) = (last - first, outW)
                    }
                    if needV {
                        let shifted = Coefficients(bounds: vertical.bounds.map { ($0.start - first, $0.count) },
                                                   weights: vertical.weights, size: vertical.size)
                        image = pass(image, lines: w, length: h, stride: w, lineStride: 1, lineStart: 0,
                                     coefficients: shifted, outStride: w, outLineStride: 1)
                        h = outH
                    }
                    for i in 0..<(outH * outW) { dst[p * outH * outW + i] = Float(image[i]) / 255 }
                }
            }
        }
        return out
    }

    struct Coefficients {
        var bounds: [(start: Int, count: Int)]
        var weights: [Int32]    // `size` per output index, fixed point
        var size: Int
    }

    /// Pillow `precompute_coeffs` + `normalize_coeffs_8bpc` for a box covering the whole input.
    static func coefficients(input: Int, output: Int) -> Coefficients {
        let scale = Double(input) / Double(output)
        let filterScale = max(scale, 1)
        let support = 3 * filterScale, ss = 1 / filterScale
        let size = Int(support.rounded(.up)) * 2 + 1
        var bounds: [(Int, Int)] = [], weights = [Int32](repeating: 0, count: output * size)
        for o in 0..<output {
            let center = (Double(o) + 0.5) * scale
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), input) - xmin
            var k = (0..<max(xmax, 0)).map { lanczos3((Double($0 + xmin) - center + 0.5) * ss) }
            let total = k.reduce(0, +)
            if total != 0 { k = k.map { $0 / total } }
            for (i, v) in k.enumerated() {
                let fixed = v * Double(1 << precisionBits)
                weights[o * size + i] = Int32(v < 0 ? -0.5 + fixed : 0.5 + fixed)
            }
            bounds.append((xmin, max(xmax, 0)))
        }
        return Coefficients(bounds: bounds, weights: weights, size: size)
    }

    static func lanczos3(_ x: Double) -> Double {
        guard -3 <= x, x < 3 else { return 0 }
        return sinc(x) * sinc(x / 3)
    }

    static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let px = x * Double.pi
        return sin(px) / px
    }

    /// One 8-bit pass over `lines` lines of `length` samples: output index o of a line sums
    /// `weights · samples[bounds]` from the rounding bias 2^(bits-1), then clips (`clip8`).
    private static func pass(_ image: [UInt8], lines: Int, length: Int, stride: Int, lineStride: Int, lineStart: Int,
                             coefficients c: Coefficients, outStride: Int, outLineStride: Int) -> [UInt8] {
        let outCount = c.bounds.count
        var out = [UInt8](repeating: 0, count: lines * outCount)
        for line in 0..<lines {
            let base = lineStart + line * lineStride
            for o in 0..<outCount {
                let (start, count) = c.bounds[o]
                var sum = Int64(1) << (precisionBits - 1)
                for i in 0..<count { sum += Int64(image[base + (start + i) * stride]) * Int64(c.weights[o * c.size + i]) }
                let shifted = sum >> Int64(precisionBits)
                out[line * outLineStride + o * outStride] = UInt8(min(max(shifted, 0), 255))
            }
        }
        return out
    }
}
