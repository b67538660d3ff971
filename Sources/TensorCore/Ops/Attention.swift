import Foundation

/// Scaled dot-product attention (ComfyUI 0.8.0 comfy/ldm/modules/attention.py optimized_attention:
/// softmax(q k^T / sqrt(D) + mask) v), computed per (batch, head) and per band of queries, so the
/// score matrix held at once is at most `attentionScoreBudget` floats whatever the token count.
/// Both products are sgemm calls reading q, k, v in place through their row strides.

/// Score floats per query band (4 MB).
let attentionScoreBudget = 1 << 20

/// q [B, Nq, H*D], k and v [B, Nk, H*D] -> [B, Nq, H*D]. `mask` is additive and broadcasts to
/// [B, H, Nq, Nk]: 2-D [Nq, Nk], 3-D [B or 1, Nq, Nk], 4-D [B or 1, H or 1, Nq or 1, Nk].
public func attention(q: Tensor, k: Tensor, v: Tensor, heads: Int, mask: Tensor? = nil) -> Tensor {
    precondition(q.rank == 3 && k.rank == 3 && v.rank == 3 && heads > 0 && q.shape[2] % heads == 0,
                 "attention: q \(q.shape) k \(k.shape) v \(v.shape) with \(heads) heads")
    precondition(k.shape == v.shape && k.shape[0] == q.shape[0] && k.shape[2] == q.shape[2],
                 "attention: q \(q.shape) k \(k.shape) v \(v.shape) do not fit")
    let (b, nq, width) = (q.shape[0], q.shape[1], q.shape[2]), nk = k.shape[1], d = width / heads
    let qL = HeadLayout(batch: nq * width, head: d, row: width)
    let kL = HeadLayout(batch: nk * width, head: d, row: width)
    return scaledDotProductAttention(q, qL, k, v, kL, AttentionSizes(batch: b, heads: heads, nq: nq, nk: nk, d: d), mask)
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
                               _ s: AttentionSizes, _ mask: Tensor?) -> Tensor {
    let width = s.heads * s.d
    var out = Tensor(shape: [s.batch, s.nq, width], uninitialized: ())
    let band = max(1, min(s.nq, attentionScoreBudget / max(s.nk, 1)))
    var scores = [Float](repeating: 0, count: band * s.nk)
    let scale = 1 / Float(s.d).squareRoot()
    let maskLayout = mask.map { MaskLayout($0, s) }
    let maskValues = mask ?? Tensor(shape: [1], repeating: 0)
    q.withUnsafeBufferPointer { qp in k.withUnsafeBufferPointer { kp in v.withUnsafeBufferPointer { vp in
    maskValues.withUnsafeBufferPointer { mp in
    out.withUnsafeMutableBufferPointer { op in scores.withUnsafeMutableBufferPointer { sp in
        let sc = sp.baseAddress!
        for b in 0..<s.batch {
            for h in 0..<s.heads {
                let kh = kp.baseAddress! + kL.start(b, h), vh = vp.baseAddress! + kL.start(b, h)
                for q0 in stride(from: 0, to: s.nq, by: band) {
                    let rows = min(band, s.nq - q0)
                    sgemm(transB: true, m: rows, n: s.nk, k: s.d, a: qp.baseAddress! + qL.start(b, h) + q0 * qL.row,
                          lda: qL.row, b: kh, ldb: kL.row, c: sc, ldc: s.nk)
                    let maskRows = maskLayout.map { mp.baseAddress! + b * $0.batch + h * $0.head + q0 * $0.query }
                    let maskStride = maskLayout?.query ?? 0
                    Parallel.forEach(rows, grain: max(1, 8192 / s.nk)) { range in
                        for r in range {
                            let row = sc + r * s.nk
                            if let m = maskRows {
                                let mr = m + r * maskStride
                                for j in 0..<s.nk { row[j] = row[j] * scale + mr[j] }
                                softmaxRow(row, s.nk, scale: 1)
                            } else {
                                softmaxRow(row, s.nk, scale: scale)
                            }
                        }
                    }
                    sgemm(m: rows, n: s.d, k: s.nk, a: sc, lda: s.nk, b: vh, ldb: kL.row,
                          c: op.baseAddress! + b * s.nq * width + q0 * width + h * s.d, ldc: width)
                }
            }
        }
    }}}}}}
    return out
}
