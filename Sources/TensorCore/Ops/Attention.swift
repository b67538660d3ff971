import Foundation
import TensorKernels

/// Scaled dot-product attention (ComfyUI 0.8.0 comfy/ldm/modules/attention.py optimized_attention:
/// softmax(q k^T / sqrt(D) + mask) v), computed per (item, head, query range) on all cores and per
/// band of queries inside, so the scores held at once are bounded whatever the token count.
/// On AVX-512 CPUs (head size <= 256) TensorKernels' fused kernel does a head; elsewhere two sgemm
/// calls per band read q, k, v in place through their row strides.

/// Score floats per query band and thread on the sgemm path (4 MB).
let attentionScoreBudget = 1 << 20

/// q [B, Nq, H*D], k and v [B, Nk, H*D] -> [B, Nq, H*D]. `mask` is additive and broadcasts to
/// [B, H, Nq, Nk]: 2-D [Nq, Nk], 3-D [B or 1, Nq, Nk], 4-D [B or 1, H or 1, Nq or 1, Nk].
public func attention(q: Tensor, k: Tensor, v: Tensor, heads: Int, mask: Tensor? = nil) -> Tensor {
    attention(q: q, k: k, v: v, heads: heads, mask: mask, fused: true)
}

/// `fused: false` forces the portable sgemm path (tests compare both).
func attention(q: Tensor, k: Tensor, v: Tensor, heads: Int, mask: Tensor?, fused: Bool) -> Tensor {
    precondition(q.rank == 3 && k.rank == 3 && v.rank == 3 && heads > 0 && q.shape[2] % heads == 0,
                 "attention: q \(q.shape) k \(k.shape) v \(v.shape) with \(heads) heads")
    precondition(k.shape == v.shape && k.shape[0] == q.shape[0] && k.shape[2] == q.shape[2],
                 "attention: q \(q.shape) k \(k.shape) v \(v.shape) do not fit")
    let (b, nq, width) = (q.shape[0], q.shape[1], q.shape[2]), nk = k.shape[1], d = width / heads
    let qL = HeadLayout(batch: nq * width, head: d, row: width)
    let kL = HeadLayout(batch: nk * width, head: d, row: width)
    return scaledDotProductAttention(q, qL, k, v, kL, AttentionSizes(batch: b, heads: heads, nq: nq, nk: nk, d: d),
                                     mask, fused: fused)
}

/// q [B, H, Nq, D], k and v [B, H, Nk, D] (Flux's layout after RoPE) -> [B, Nq, H*D].
public func attentionHeadsFirst(q: Tensor, k: Tensor, v: Tensor, mask: Tensor? = nil) -> Tensor {
    precondition(q.rank == 4 && k.shape == v.shape && k.rank == 4 && q.shape[0] == k.shape[0]
                 && q.shape[1] == k.shape[1] && q.shape[3] == k.shape[3],
                 "attentionHeadsFirst: q \(q.shape) k \(k.shape) v \(v.shape) do not fit")
    let (b, h, nq, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]), nk = k.shape[2]
    let qL = HeadLayout(batch: h * nq * d, head: nq * d, row: d)
    let kL = HeadLayout(batch: h * nk * d, head: nk * d, row: d)
    return scaledDotProductAttention(q, qL, k, v, kL, AttentionSizes(batch: b, heads: h, nq: nq, nk: nk, d: d), mask)
}

/// Where the rows of head `h` of item `b` start, and how far apart they are, in floats.
struct HeadLayout {
    let batch, head, row: Int
    func start(_ b: Int, _ h: Int) -> Int { b * batch + h * head }
}

struct AttentionSizes { let batch, heads, nq, nk, d: Int }

/// Element strides of an additive mask over (batch, head, query); 0 where it broadcasts.
struct MaskLayout {
    let batch, head, query: Int

    init(_ mask: Tensor, _ s: AttentionSizes) {
        var m = mask.shape
        precondition((2...4).contains(m.count) && m.last == s.nk, "attention: mask \(mask.shape) for \(s.nq)x\(s.nk) scores")
        if m.count == 2 { m.insert(1, at: 0) }
        if m.count == 3 { m.insert(1, at: 1) }
        precondition((m[0] == 1 || m[0] == s.batch) && (m[1] == 1 || m[1] == s.heads) && (m[2] == 1 || m[2] == s.nq),
                     "attention: mask \(mask.shape) does not broadcast to [\(s.batch), \(s.heads), \(s.nq), \(s.nk)]")
        query = m[2] == 1 ? 0 : s.nk
        head = m[1] == 1 ? 0 : m[2] * s.nk
        batch = m[0] == 1 ? 0 : m[1] * m[2] * s.nk
    }
}

func scaledDotProductAttention(_ q: Tensor, _ qL: HeadLayout, _ k: Tensor, _ v: Tensor, _ kL: HeadLayout,
                               _ s: AttentionSizes, _ mask: Tensor?, fused: Bool = true) -> Tensor {
    let width = s.heads * s.d
    var out = Tensor(shape: [s.batch, s.nq, width], uninitialized: ())
    // Tasks are (item, head, query chunk); chunks only when there are fewer heads than cores.
    let heads = s.batch * s.heads
    let chunks = heads >= Parallel.coreCount ? 1 : max(1, min(Parallel.coreCount, s.nq / 64))
    let scale = 1 / Float(s.d).squareRoot()
    let maskLayout = mask.map { MaskLayout($0, s) }
    let maskValues = mask ?? Tensor(shape: [1], repeating: 0)
    q.withUnsafeBufferPointer { qp in k.withUnsafeBufferPointer { kp in v.withUnsafeBufferPointer { vp in
    maskValues.withUnsafeBufferPointer { mp in out.withUnsafeMutableBufferPointer { op in
        // Each thread takes a contiguous run of tasks, so it stays on one head's k and v.
        Parallel.forEach(heads * chunks) { tasks in
            let scratch = AttentionScratch()
            for task in tasks {
                let (b, h, c) = (task / (s.heads * chunks), (task / chunks) % s.heads, task % chunks)
                let q0 = s.nq * c / chunks, q1 = s.nq * (c + 1) / chunks
                let head = AttentionHead(
                    q: qp.baseAddress! + qL.start(b, h) + q0 * qL.row, qStride: qL.row,
                    k: kp.baseAddress! + kL.start(b, h), v: vp.baseAddress! + kL.start(b, h), kStride: kL.row,
                    out: op.baseAddress! + b * s.nq * width + q0 * width + h * s.d, outStride: width,
                    mask: maskLayout.map { m in mp.baseAddress! + b * m.batch + h * m.head + q0 * m.query },
                    maskStride: maskLayout?.query ?? 0, nq: q1 - q0, nk: s.nk, d: s.d, scale: scale)
                if !fused || tk_attention_head(head.q, head.qStride, head.k, head.kStride, head.v, head.kStride, head.out,
                                     head.outStride, head.mask, head.maskStride, head.nq, head.nk, head.d, scale) == 0 {
                    head.attendWithSgemm(scratch)
                }
            }
        }
    }}}}}
    return out
}

/// One (item, head, query range) of attention, as pointers into q, k, v, out and the mask.
struct AttentionHead {
    let q: UnsafePointer<Float>, qStride: Int
    let k: UnsafePointer<Float>, v: UnsafePointer<Float>, kStride: Int
    let out: UnsafeMutablePointer<Float>, outStride: Int
    let mask: UnsafePointer<Float>?, maskStride: Int
    let nq, nk, d: Int, scale: Float

    /// The portable path: per band of queries, scores by sgemm, softmax, values by sgemm.
    func attendWithSgemm(_ scratch: AttentionScratch) {
        let band = max(1, min(nq, attentionScoreBudget / max(nk, 1)))
        let scores = scratch.scores(band * nk), sums = scratch.sums(band)
        for q0 in stride(from: 0, to: nq, by: band) {
            let rows = min(band, nq - q0)
            sgemm(transB: true, m: rows, n: nk, k: d, a: q + q0 * qStride, lda: qStride, b: k, ldb: kStride,
                  c: scores, ldc: nk)
            for r in 0..<rows {
                sums[r] = tk_softmax_numerators(scores + r * nk, mask.map { $0 + (q0 + r) * maskStride }, nk, scale)
            }
            let o = out + q0 * outStride
            sgemm(m: rows, n: d, k: nk, a: scores, lda: nk, b: v, ldb: kStride, c: o, ldc: outStride)
            for r in 0..<rows {                 // normalize the d outputs instead of the nk weights
                let inv: Float = sums[r] > 0 ? 1 / sums[r] : 0
                for j in 0..<d { o[r * outStride + j] *= inv }
            }
        }
    }
}

/// Per-thread buffers of the sgemm path, grown on demand and freed with the thread's task run.
final class AttentionScratch {
    private var scoreBuffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)
    private var sumBuffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)

    func scores(_ n: Int) -> UnsafeMutablePointer<Float> { grow(&scoreBuffer, n) }
    func sums(_ n: Int) -> UnsafeMutablePointer<Float> { grow(&sumBuffer, n) }

    private func grow(_ buffer: inout UnsafeMutableBufferPointer<Float>, _ n: Int) -> UnsafeMutablePointer<Float> {
        if buffer.count < n {
            buffer.deallocate()
            buffer = .allocate(capacity: n)
        }
        return buffer.baseAddress!
    }

    deinit { scoreBuffer.deallocate(); sumBuffer.deallocate() }
}
