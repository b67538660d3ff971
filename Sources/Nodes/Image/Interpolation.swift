import Dispatch
import TensorCore

/// Matches PyTorch's CPU `torch.nn.functional.interpolate(x, size=(h, w), mode=...)` with the
/// defaults ComfyUI's `common_upscale` uses (align_corners=False, antialias=False, no
/// scale_factor): the scale is `Float(in) / Float(out)` in float32, as torch's `opmath` computes it.
/// Works on `[planes, H, W]` (planes = batch × channels), planes in parallel.
enum Interpolation {
    case nearestExact, bilinear, bicubic, area

    func resize(_ x: Tensor, height outH: Int, width outW: Int) -> Tensor {
        precondition(x.rank == 3, "Interpolation works on [planes, H, W], got \(x.shape)")
        let (planes, inH, inW) = (x.shape[0], x.shape[1], x.shape[2])
        var out = Tensor(shape: [planes, outH, outW], uninitialized: ())
        let rows = taps(input: inH, output: outH), cols = taps(input: inW, output: outW)
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let dst = SendableBuffer(dst)
                DispatchQueue.concurrentPerform(iterations: planes) { p in
                    let s = UnsafeBufferPointer(rebasing: src[(p * inH * inW)..<((p + 1) * inH * inW)])
                    for oy in 0..<outH {
                        let r = rows[oy]
                        for ox in 0..<outW {
                            dst[(p * outH + oy) * outW + ox] = combine(s, width: inW, rows: r, cols: cols[ox])
                        }
                    }
                }
            }
        }
        return out
    }

    /// One output value from its source taps: separable weights, columns first then rows
    /// (torch: `h0 * (w0 * x00 + w1 * x01) + h1 * (...)`); area averages `sum / kh / kw`.
    private func combine(_ s: UnsafeBufferPointer<Float>, width: Int, rows: Taps, cols: Taps) -> Float {
        if case .area = self {
            var sum: Float = 0
            for y in rows.indices { for x in cols.indices { sum += s[y * width + x] } }
            return sum / Float(rows.indices.count) / Float(cols.indices.count)
        }
        var total: Float = 0
        for (j, y) in rows.indices.enumerated() {
            var line: Float = 0
            for (i, x) in cols.indices.enumerated() { line += cols.weights[i] * s[y * width + x] }
            total = j == 0 ? rows.weights[0] * line : total + rows.weights[j] * line
        }
        return total
    }

    /// Source indices and weights of each output index along one axis.
    struct Taps {
        var indices: [Int]
        var weights: [Float]
    }

    func taps(input: Int, output: Int) -> [Taps] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { o in
            switch self {
            case .nearestExact:
                // nearest_neighbor_exact_compute_source_index: floorf((o + 0.5) * scale), at most in-1.
                let src = Float((Double(o) + 0.5) * Double(scale)).rounded(.down)
                return Taps(indices: [min(Int(src), input - 1)], weights: [1])
            case .bilinear:
                let real = max(scale * (Float(o) + 0.5) - 0.5, 0)
                let i0 = Int(real)
                let l1 = min(max(real - Float(i0), 0), 1)
                return Taps(indices: [i0, i0 + (i0 < input - 1 ? 1 : 0)], weights: [1 - l1, l1])
            case .bicubic:
                let real = scale * (Float(o) + 0.5) - 0.5
                let i0 = min(Int(real.rounded(.down)), input - 1)
                let t = min(max(real - Float(i0), 0), 1)
                let clamp = { (i: Int) in min(max(i, 0), input - 1) }
                return Taps(indices: (-1...2).map { clamp(i0 + $0) }, weights: Self.cubicWeights(t))
            case .area:
                // adaptive_avg_pool: [floor(o·in/out), ceil((o+1)·in/out)).
                let start = (o * input) / output, end = ((o + 1) * input + output - 1) / output
                return Taps(indices: Array(start..<end), weights: [])
            }
        }
    }

    /// torch `get_cubic_upsample_coefficients`, A = -0.75.
    static func cubicWeights(_ t: Float) -> [Float] {
        let a: Float = -0.75
        func near(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }
        func far(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return [far(t + 1), near(t), near(1 - t), far(2 - t)]
    }
}
