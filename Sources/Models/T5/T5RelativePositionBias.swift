// Matches ComfyUI 0.8.0 comfy/text_encoders/t5.py T5Attention.compute_bias and
// _relative_position_bucket (bidirectional): the additive attention bias of block 0, which every
// later block reuses.
import Foundation
import TensorCore

/// T5's learned relative position bias (`relative_attention_bias`, [buckets, heads]).
struct T5RelativePositionBias {
    let table: Embedding
    let config: T5Config

    /// The bucket of `relative = key - query`, in Float32 as torch computes it.
    static func bucket(_ relative: Int, buckets: Int, maxDistance: Int) -> Int {
        let half = buckets / 2
        var bucket = relative > 0 ? half : 0
        let distance = abs(relative), exact = half / 2
        if distance < exact { return bucket + distance }
        let ratio = Float(distance) / Float(exact)
        let scaled = logf(ratio) / Float(log(Double(maxDistance) / Double(exact))) * Float(half - exact)
        bucket += min(exact + Int(scaled), half - 1)
        return bucket
    }

    /// The bias [1, heads, n, n] for n tokens.
    func callAsFunction(_ n: Int) -> Tensor {
        let h = config.heads
        var ids: [Int] = []
        ids.reserveCapacity(n * n)
        for q in 0..<n {
            for k in 0..<n {
                ids.append(Self.bucket(k - q, buckets: config.relativeBuckets, maxDistance: config.relativeMaxDistance))
            }
        }
        let rows = table(Array(0..<config.relativeBuckets))   // [buckets, heads]
        var out = Tensor(shape: [1, h, n, n], uninitialized: ())
        rows.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in
                for head in 0..<h {
                    for (i, id) in ids.enumerated() { o[head * n * n + i] = r[id * h + head] }
                }
            }
        }
        return out
    }
}
