import Foundation

/// Elementwise arithmetic with NumPy/PyTorch broadcasting (shapes aligned from the right).

/// The broadcast shape of `a` and `b`, or nil when they do not broadcast.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        guard da == db || da == 1 || db == 1 else { return nil }
        out[i] = da == 1 ? db : da
    }
    return out
}

/// Element strides of `shape` seen as `outShape` (0 on broadcast dims).
func broadcastStrides(_ shape: [Int], to outShape: [Int]) -> [Int] {
    let pad = outShape.count - shape.count
    var strides = [Int](repeating: 0, count: outShape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i + pad] = shape[i] == 1 ? 0 : s
        s *= shape[i]
    }
    return strides
}

/// Writes `op(a, b)` broadcast into `out` (whose shape is the broadcast shape). `out` may alias `a`.
@inline(__always)
func broadcastApply(_ a: UnsafePointer<Float>, _ aShape: [Int], _ b: UnsafePointer<Float>, _ bShape: [Int],
                    _ out: UnsafeMutablePointer<Float>, _ shape: [Int], _ op: (Float, Float) -> Float) {
    let n = shape.reduce(1, *)
    guard n > 0 else { return }
    let aCount = aShape.reduce(1, *), bCount = bShape.reduce(1, *)
    if aCount == n && bCount == n {
        Parallel.forEach(n, grain: Parallel.elementGrain) { r in for i in r { out[i] = op(a[i], b[i]) } }
        return
    }
    if bCount == 1, aCount == n {
        let s = b[0]
        Parallel.forEach(n, grain: Parallel.elementGrain) { r in for i in r { out[i] = op(a[i], s) } }
        return
    }
    if aCount == 1, bCount == n {
        let s = a[0]
        Parallel.forEach(n, grain: Parallel.elementGrain) { r in for i in r { out[i] = op(s, b[i]) } }
        return
    }
    // Merge adjacent dims with the same broadcast pattern, then loop rows of the last merged dim.
    let sa = broadcastStrides(aShape, to: shape), sb = broadcastStrides(bShape, to: shape)
    var dims: [Int] = [], ra: [Int] = [], rb: [Int] = []
    for i in 0..<shape.count where shape[i] != 1 {
        if let last = dims.last, (ra.last! == 0) == (sa[i] == 0), (rb.last! == 0) == (sb[i] == 0),
           ra.last! == sa[i] * shape[i] || ra.last! == 0, rb.last! == sb[i] * shape[i] || rb.last! == 0 {
            dims[dims.count - 1] = last * shape[i]
            ra[ra.count - 1] = sa[i]
            rb[rb.count - 1] = sb[i]
        } else {
            dims.append(shape[i]); ra.append(sa[i]); rb.append(sb[i])
        }
    }
    let last = dims.removeLast(), la = ra.removeLast(), lb = rb.removeLast()
    let rows = n / last
    Parallel.forEach(rows, grain: max(1, Parallel.elementGrain / last)) { range in
        for row in range {
            var rem = row, oa = 0, ob = 0
            for d in stride(from: dims.count - 1, through: 0, by: -1) {
                let i = rem % dims[d]
                rem /= dims[d]
                oa += i * ra[d]
                ob += i * rb[d]
            }
            let pa = a + oa, pb = b + ob, po = out + row * last
            switch (la, lb) {
            case (0, _): let s = pa[0]; for j in 0..<last { po[j] = op(s, pb[j]) }
            case (_, 0): let s = pb[0]; for j in 0..<last { po[j] = op(pa[j], s) }
            default: for j in 0..<last { po[j] = op(pa[j], pb[j]) }
            }
        }
    }
}

@inline(__always)
func broadcastBinary(_ a: Tensor, _ b: Tensor, _ name: String, _ op: (Float, Float) -> Float) -> Tensor {
    guard let shape = broadcastShape(a.shape, b.shape) else {
        preconditionFailure("\(name): shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    var out = Tensor(shape: shape, uninitialized: ())
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
                broadcastApply(pa.baseAddress!, a.shape, pb.baseAddress!, b.shape, po.baseAddress!, shape, op)
            }
        }
    }
    return out
}

/// `a = op(a, b)` where `b` broadcasts to `a`'s shape.
@inline(__always)
func broadcastInPlace(_ a: inout Tensor, _ b: Tensor, _ name: String, _ op: (Float, Float) -> Float) {
    precondition(broadcastShape(a.shape, b.shape) == a.shape, "\(name): \(b.shape) does not broadcast into \(a.shape)")
    let shape = a.shape
    b.withUnsafeBufferPointer { pb in
        a.withUnsafeMutableBufferPointer { pa in
            broadcastApply(UnsafePointer(pa.baseAddress!), shape, pb.baseAddress!, b.shape, pa.baseAddress!, shape, op)
        }
    }
}

/// `op` applied to every element, in parallel.
@inline(__always)
func mapElements(_ x: Tensor, _ op: (Float) -> Float) -> Tensor {
    var out = Tensor(shape: x.shape, uninitialized: ())
    x.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            let src = s.baseAddress!, dst = o.baseAddress!
            Parallel.forEach(x.count, grain: Parallel.elementGrain) { r in for i in r { dst[i] = op(src[i]) } }
        }
    }
    return out
}

@inline(__always)
func mapElementsInPlace(_ x: inout Tensor, _ op: (Float) -> Float) {
    let n = x.count
    x.withUnsafeMutableBufferPointer { b in
        let p = b.baseAddress!
        Parallel.forEach(n, grain: Parallel.elementGrain) { r in for i in r { p[i] = op(p[i]) } }
    }
}

public func add(_ a: Tensor, _ b: Tensor) -> Tensor { broadcastBinary(a, b, "add") { $0 + $1 } }
public func subtract(_ a: Tensor, _ b: Tensor) -> Tensor { broadcastBinary(a, b, "subtract") { $0 - $1 } }
public func multiply(_ a: Tensor, _ b: Tensor) -> Tensor { broadcastBinary(a, b, "multiply") { $0 * $1 } }
public func divide(_ a: Tensor, _ b: Tensor) -> Tensor { broadcastBinary(a, b, "divide") { $0 / $1 } }

public func exp(_ x: Tensor) -> Tensor { mapElements(x) { Foundation.exp($0) } }
public func sqrt(_ x: Tensor) -> Tensor { mapElements(x) { $0.squareRoot() } }
public func clamp(_ x: Tensor, min lo: Float, max hi: Float) -> Tensor {
    mapElements(x) { Swift.min(Swift.max($0, lo), hi) }
}
/// `a + (b - a) * t` (torch.lerp with a scalar weight).
public func lerp(_ a: Tensor, _ b: Tensor, _ t: Float) -> Tensor { broadcastBinary(a, b, "lerp") { $0 + ($1 - $0) * t } }

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { add(a, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { subtract(a, b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { multiply(a, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { divide(a, b) }

    public static func + (a: Tensor, s: Float) -> Tensor { mapElements(a) { $0 + s } }
    public static func - (a: Tensor, s: Float) -> Tensor { mapElements(a) { $0 - s } }
    public static func * (a: Tensor, s: Float) -> Tensor { mapElements(a) { $0 * s } }
    public static func / (a: Tensor, s: Float) -> Tensor { mapElements(a) { $0 / s } }
    public static func + (s: Float, a: Tensor) -> Tensor { mapElements(a) { s + $0 } }
    public static func - (s: Float, a: Tensor) -> Tensor { mapElements(a) { s - $0 } }
    public static func * (s: Float, a: Tensor) -> Tensor { mapElements(a) { s * $0 } }
    public static func / (s: Float, a: Tensor) -> Tensor { mapElements(a) { s / $0 } }
    public static prefix func - (a: Tensor) -> Tensor { mapElements(a) { -$0 } }

    public static func += (a: inout Tensor, b: Tensor) { broadcastInPlace(&a, b, "+=") { $0 + $1 } }
    public static func -= (a: inout Tensor, b: Tensor) { broadcastInPlace(&a, b, "-=") { $0 - $1 } }
    public static func *= (a: inout Tensor, b: Tensor) { broadcastInPlace(&a, b, "*=") { $0 * $1 } }
    public static func /= (a: inout Tensor, b: Tensor) { broadcastInPlace(&a, b, "/=") { $0 / $1 } }
    public static func += (a: inout Tensor, s: Float) { mapElementsInPlace(&a) { $0 + s } }
    public static func -= (a: inout Tensor, s: Float) { mapElementsInPlace(&a) { $0 - s } }
    public static func *= (a: inout Tensor, s: Float) { mapElementsInPlace(&a) { $0 * s } }
    public static func /= (a: inout Tensor, s: Float) { mapElementsInPlace(&a) { $0 / s } }
}
