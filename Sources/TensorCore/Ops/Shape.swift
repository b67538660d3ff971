/// Shape ops: contiguous copies that reorder, join, split, pad or resize tensors.

/// Shape of the dims before `axis`, the dim itself, and the dims after it, as element counts.
@usableFromInline
func splitAround(_ shape: [Int], _ axis: Int) -> (outer: Int, dim: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

/// Resolves a possibly negative axis (`-1` = last) against `rank`.
@usableFromInline
func normalizedAxis(_ axis: Int, rank: Int) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < rank, "axis \(axis) out of range for rank \(rank)")
    return a
}

/// Joins tensors along `axis` (negative counts from the end). All other dims must match.
public func concat(_ ts: [Tensor], axis: Int) -> Tensor {
    precondition(!ts.isEmpty, "concat of no tensors")
    let ax = normalizedAxis(axis, rank: ts[0].rank)
    var shape = ts[0].shape
    shape[ax] = 0
    for t in ts {
        precondition(t.rank == shape.count, "concat: rank mismatch \(t.shape) vs \(ts[0].shape)")
        for d in 0..<t.rank where d != ax {
            precondition(t.shape[d] == ts[0].shape[d], "concat: shape \(t.shape) vs \(ts[0].shape) on axis \(ax)")
        }
        shape[ax] += t.shape[ax]
    }
    var out = Tensor(shape: shape, uninitialized: ())
    let (outer, total, inner) = splitAround(shape, ax)
    out.withUnsafeMutableBufferPointer { o in
        var start = 0
        for t in ts {
            let block = t.shape[ax] * inner
            t.withUnsafeBufferPointer { s in
                for i in 0..<outer {
                    (o.baseAddress! + i * total * inner + start).update(from: s.baseAddress! + i * block, count: block)
                }
            }
            start += block
        }
    }
    return out
}

/// Items `range` of `axis`, copied (a view when `axis` is 0).
public func slice(_ x: Tensor, axis: Int, _ range: Range<Int>) -> Tensor {
    let ax = normalizedAxis(axis, rank: x.rank)
    precondition(range.lowerBound >= 0 && range.upperBound <= x.shape[ax], "slice \(range) out of \(x.shape) on axis \(ax)")
    if ax == 0 { return x.batch(range) }
    var shape = x.shape
    shape[ax] = range.count
    let (outer, dim, inner) = splitAround(x.shape, ax)
    var out = Tensor(shape: shape, uninitialized: ())
    let block = range.count * inner
    x.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<outer {
                (o.baseAddress! + i * block).update(from: s.baseAddress! + (i * dim + range.lowerBound) * inner, count: block)
            }
        }
    }
    return out
}

/// Splits `axis` into pieces of the given sizes (torch.split with a list).
public func split(_ x: Tensor, sizes: [Int], axis: Int) -> [Tensor] {
    let ax = normalizedAxis(axis, rank: x.rank)
    precondition(sizes.reduce(0, +) == x.shape[ax], "split sizes \(sizes) do not add up to \(x.shape[ax])")
    var start = 0
    return sizes.map { n in
        defer { start += n }
        return slice(x, axis: ax, start..<(start + n))
    }
}

/// torch.chunk: `parts` pieces of ceil(n / parts) along `axis` (the last may be smaller; fewer
/// pieces when n is small, as torch does).
public func chunk(_ x: Tensor, parts: Int, axis: Int) -> [Tensor] {
    let ax = normalizedAxis(axis, rank: x.rank)
    precondition(parts > 0, "chunk into \(parts) parts")
    let n = x.shape[ax], size = (n + parts - 1) / parts
    guard size > 0 else { return [x] }
    return stride(from: 0, to: n, by: size).map { slice(x, axis: ax, $0..<min($0 + size, n)) }
}

/// A contiguous copy with dimensions reordered: result dim i is input dim `dims[i]` (torch.permute).
public func permuted(_ x: Tensor, _ dims: [Int]) -> Tensor {
    precondition(dims.count == x.rank && Set(dims) == Set(0..<x.rank), "permutation \(dims) for shape \(x.shape)")
    let shape = dims.map { x.shape[$0] }
    var inStrides = [Int](repeating: 1, count: x.rank)
    for d in stride(from: x.rank - 2, through: 0, by: -1) { inStrides[d] = inStrides[d + 1] * x.shape[d + 1] }
    let strides = dims.map { inStrides[$0] }          // input stride of each output dim
    var out = Tensor(shape: shape, uninitialized: ())
    guard out.count > 0 else { return out }
    let rank = shape.count, last = shape[rank - 1], lastStride = strides[rank - 1]
    let rows = out.count / last
    x.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            let src = s.baseAddress!, dst = o.baseAddress!
            Parallel.forEach(rows, grain: max(1, Parallel.elementGrain / last)) { range in
                for row in range {
                    var rem = row, base = 0
                    for d in stride(from: rank - 2, through: 0, by: -1) {
                        base += (rem % shape[d]) * strides[d]
                        rem /= shape[d]
                    }
                    let o = dst + row * last
                    for j in 0..<last { o[j] = src[base + j * lastStride] }
                }
            }
        }
    }
    return out
}

/// The transpose of a 2-D tensor (contiguous copy).
public func transposed(_ x: Tensor) -> Tensor {
    precondition(x.rank == 2, "transposed needs a 2-D tensor, got \(x.shape)")
    return permuted(x, [1, 0])
}

/// Pads the last two dims (W by `left`/`right`, H by `top`/`bottom`) with `value` (F.pad on NCHW).
public func pad(_ x: Tensor, left: Int, right: Int, top: Int, bottom: Int, value: Float = 0) -> Tensor {
    precondition(x.rank >= 2 && min(left, right, top, bottom) >= 0, "pad \(x.shape) by (\(left), \(right), \(top), \(bottom))")
    let h = x.shape[x.rank - 2], w = x.shape[x.rank - 1]
    let ho = h + top + bottom, wo = w + left + right
    var shape = x.shape
    shape[x.rank - 2] = ho
    shape[x.rank - 1] = wo
    let planes = x.count / max(h * w, 1)
    var out = Tensor(shape: shape, uninitialized: ())
    x.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            let src = s.baseAddress!, dst = o.baseAddress!
            Parallel.forEach(planes, grain: max(1, Parallel.elementGrain / max(ho * wo, 1))) { range in
                for p in range {
                    let op = dst + p * ho * wo, ip = src + p * h * w
                    op.initialize(repeating: value, count: top * wo)
                    for y in 0..<h {
                        let row = op + (top + y) * wo
                        row.initialize(repeating: value, count: left)
                        (row + left).initialize(from: ip + y * w, count: w)
                        (row + left + w).initialize(repeating: value, count: right)
                    }
                    (op + (top + h) * wo).initialize(repeating: value, count: bottom * wo)
                }
            }
        }
    }
    return out
}

/// Nearest-neighbour 2x upsampling of the last two dims (F.interpolate(scale_factor=2.0, mode="nearest")).
public func upsampleNearest2x(_ x: Tensor) -> Tensor {
    precondition(x.rank >= 2, "upsampleNearest2x needs [..., H, W], got \(x.shape)")
    let h = x.shape[x.rank - 2], w = x.shape[x.rank - 1]
    var shape = x.shape
    shape[x.rank - 2] = 2 * h
    shape[x.rank - 1] = 2 * w
    let rows = x.count / max(w, 1)                     // input rows over all planes
    var out = Tensor(shape: shape, uninitialized: ())
    x.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            let src = s.baseAddress!, dst = o.baseAddress!
            Parallel.forEach(rows, grain: max(1, Parallel.elementGrain / max(4 * w, 1))) { range in
                for r in range {
                    let i = src + r * w, o0 = dst + 4 * r * w   // input row r -> output rows 2r, 2r+1
                    for j in 0..<w { o0[2 * j] = i[j]; o0[2 * j + 1] = i[j] }
                    (o0 + 2 * w).update(from: o0, count: 2 * w)
                }
            }
        }
    }
    return out
}
