// Matches ComfyUI 0.8.0 comfy/weight_adapter/base.py weight_decompose (DoRA), operation by operation
// in float32.
import TensorCore

extension LoRADelta {
    /// W' = W + alpha*diff; W'' = W' * magnitude / (||W|| + eps) with the norm per output channel of
    /// the unpatched W (per input channel of W' when the magnitude has the input size);
    /// result W + s*(W'' - W), exactly W'' for s = 1.
    static func decompose(_ w: Tensor, _ diff: Tensor, alpha: Float, magnitude: Tensor,
                          strength: Double) throws -> Tensor {
        let out = w.shape[0], perOut = w.count / max(out, 1)
        var calc = w
        diff.withUnsafeBufferPointer { d in calc.withUnsafeMutableBufferPointer { c in
            for i in c.indices { c[i] += alpha * d[i] }
        } }
        let m = magnitude.scalars
        let onOutput = magnitude.shape.first == out
        let channels = onOutput ? out : (w.shape.count > 1 ? w.shape[1] : 0)
        guard m.count == channels, channels > 0 else {
            throw LoRAError.shapes("dora_scale \(magnitude.shape) fits neither axis of weight \(w.shape)")
        }
        let norms = onOutput ? rowNorms(w) : inputChannelNorms(calc, channels: channels)
        let eps = Float.ulpOfOne
        let factor = (0..<channels).map { m[$0] / (norms[$0] + eps) }
        let inner = onOutput ? perOut : perOut / channels
        let s = Float(strength)
        w.withUnsafeBufferPointer { pw in calc.withUnsafeMutableBufferPointer { c in
            for i in c.indices {
                let ch = onOutput ? i / perOut : (i % perOut) / inner
                c[i] *= factor[ch]
                if strength != 1 { c[i] = pw[i] + s * (c[i] - pw[i]) }
            }
        } }
        return calc
    }

    /// The float32 L2 norm of each row, summed in the order of torch's vectorised CPU kernel
    /// (ATen ReduceOpsKernel norm, p = 2 over the last dimension: 8 float lanes (Vectorized<float> on AVX2)
    /// `acc += x * x`, lanes added left to right, then the tail), so DoRA matches ComfyUI bit for bit.
    static func rowNorms(_ w: Tensor) -> [Float] {
        let rows = w.shape[0], n = w.count / max(rows, 1), lanes = 8
        return w.withUnsafeBufferPointer { p in
            (0..<rows).map { r in
                let row = r * n
                var acc = [Float](repeating: 0, count: lanes)
                var d = 0
                while d + lanes <= n {
                    for l in 0..<lanes { let x = p[row + d + l]; acc[l] = acc[l] + x * x }
                    d += lanes
                }
                var total = acc[0]
                for l in 1..<lanes { total = total + acc[l] }
                while d < n { let x = p[row + d]; total = total + x * x; d += 1 }
                return total.squareRoot()
            }
        }
    }

    /// Norm per input channel (dimension 1) of `w`, over the other dimensions; accumulated in double
    /// (torch reduces a non-contiguous dimension in another order; no reference pins this case).
    static func inputChannelNorms(_ w: Tensor, channels: Int) -> [Float] {
        let perOut = w.count / max(w.shape[0], 1), inner = perOut / channels
        var sums = [Double](repeating: 0, count: channels)
        w.withUnsafeBufferPointer { p in
            for i in 0..<p.count { sums[(i % perOut) / inner] += Double(p[i]) * Double(p[i]) }
        }
        return sums.map { Float($0.squareRoot()) }
    }
}
