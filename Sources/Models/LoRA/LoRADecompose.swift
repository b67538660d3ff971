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
        // Norms accumulate in double and round once (torch reduces float32 in its own order).
        var sums = [Double](repeating: 0, count: channels)
        let normed = onOutput ? w : calc
        normed.withUnsafeBufferPointer { p in
            let inner = onOutput ? perOut : perOut / channels   // elements per (out, in) pair
            for i in 0..<p.count {
                let ch = onOutput ? i / perOut : (i % perOut) / inner
                sums[ch] += Double(p[i]) * Double(p[i])
            }
        }
        let eps = Float.ulpOfOne
        let factor = (0..<channels).map { m[$0] / (Float(sums[$0].squareRoot()) + eps) }
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
}
