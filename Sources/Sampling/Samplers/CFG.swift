// Matches ComfyUI 0.8.0 comfy/samplers.py sampling_function / cfg_function (no model patches).
import Foundation
import TensorCore

/// Classifier-free guidance as ComfyUI combines the two predictions.
public enum CFG {
    /// ComfyUI skips the negative (uncond) evaluation when cfg is 1 (math.isclose, rel 1e-9).
    public static func needsUncond(scale: Double) -> Bool {
        abs(scale - 1) > 1e-9 * max(abs(scale), 1)
    }

    /// uncond + (cond - uncond) * scale, each operation rounded to float32 as torch does;
    /// `uncond` nil (the cfg = 1 shortcut) returns `cond`.
    public static func combine(cond: Tensor, uncond: Tensor?, scale: Double) -> Tensor {
        guard let uncond else { return cond }
        precondition(cond.shape == uncond.shape, "cond \(cond.shape) and uncond \(uncond.shape) differ")
        let s = Float(scale)
        var out = Tensor(shape: cond.shape, uninitialized: ())
        cond.withUnsafeBufferPointer { c in
            uncond.withUnsafeBufferPointer { u in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<o.count { o[i] = u[i] + (c[i] - u[i]) * s }
                }
            }
        }
        return out
    }
}
