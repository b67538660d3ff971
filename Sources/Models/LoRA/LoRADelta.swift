// Matches ComfyUI 0.8.0 comfy/weight_adapter/{lora,loha,lokr}.py calculate_weight and
// base.py weight_decompose (DoRA), in the dtypes ComfyUI uses (expected/README.md part 7).
import TensorCore

/// What one LoRA module adds to one model weight. The LoRA kinds are cases of `product`;
/// DoRA is a modifier (`doraScale`) on any of them. Formats only differ in how they name tensors.
public struct LoRADelta: Sendable {
    public enum Product: Sendable {
        /// kohya LoRA / LoCon / PEFT: up [out, r(,1,1)] @ down [r, in(,kh,kw)]; `mid` is LoCon's Tucker core.
        case lowRank(up: Tensor, down: Tensor, mid: Tensor?)
        /// LoHa: (w1a @ w1b) * (w2a @ w2b), element-wise.
        case hadamard(LoRAFactor, LoRAFactor)
        /// LoKr: kron(w1, w2).
        case kronecker(LoRAFactor, LoRAFactor)
        /// A stored difference.
        case full(Tensor)
    }

    public let product: Product
    /// `alpha` as stored (nil: none, the scale is 1).
    public let alpha: Float?
    /// DoRA magnitude per output (or input) channel.
    public let doraScale: Tensor?

    public init(product: Product, alpha: Float?, doraScale: Tensor?) {
        self.product = product
        self.alpha = alpha
        self.doraScale = doraScale
    }

    /// alpha / rank, in double as ComfyUI forms it in Python (1 without alpha or rank).
    var scale: Double {
        guard let alpha else { return 1 }
        let rank: Int?
        switch product {
        case let .lowRank(_, down, _): rank = down.shape.first
        case let .hadamard(w1, _): rank = w1.rank
        case let .kronecker(w1, w2): rank = w2.rank ?? w1.rank   // ComfyUI: w2's rank when it has one
        case .full: rank = nil
        }
        guard let rank, rank > 0 else { return 1 }
        return Double(alpha) / Double(rank)
    }

    /// The unscaled difference in float32, shaped like a weight of `shape`.
    public func difference(shape: [Int]) throws -> Tensor {
        let d: Tensor
        switch product {
        case let .lowRank(up, down, mid):
            var down = down
            if let mid { down = try Self.throughMid(down: down, mid: mid) }
            d = try LoRAMath.matmul(up, down)
        case let .hadamard(w1, w2):
            var m = try w1.matrix()
            let m2 = try w2.matrix()
            guard m.count == m2.count else { throw LoRAError.shapes("LoHa halves \(m.shape) and \(m2.shape) differ") }
            m2.withUnsafeBufferPointer { b in m.withUnsafeMutableBufferPointer { a in
                for i in a.indices { a[i] *= b[i] }
            } }
            d = m
        case let .kronecker(w1, w2):
            var m1 = try w1.matrix()
            let m2 = try w2.matrix()
            if m2.rank == 4 && m1.rank == 2 { m1 = m1.reshaped(m1.shape + [1, 1]) }
            d = try LoRAMath.kron(m1, m2)
        case let .full(t): d = t
        }
        guard d.count == shape.reduce(1, *), d.shape.first == shape.first else {
            throw LoRAError.shapes("difference \(d.shape) does not fit weight \(shape)")
        }
        return d.reshaped(shape)
    }

    /// LoCon with `lora_mid`: down'[i, c, k] = sum_j mid[i, j, k] * down[j, c].
    static func throughMid(down: Tensor, mid: Tensor) throws -> Tensor {
        guard mid.rank == 4, let r = down.shape.first, mid.shape[1] == r else {
            throw LoRAError.shapes("lora_mid \(mid.shape) does not fit lora_down \(down.shape)")
        }
        let c = down.count / r, s = mid.shape[2] * mid.shape[3]
        // [in, r] @ [r, i*s] -> [in, i, s], then to [i, in, s]
        let downT = transpose2D(down.reshaped(r, c))
        let midT = transpose01(mid).reshaped(r, mid.shape[0] * s)
        let p = try LoRAMath.matmul(downT, midT).reshaped(c, mid.shape[0], s)
        return transpose01(p.reshaped(c, mid.shape[0], s, 1)).reshaped(mid.shape[0], c, mid.shape[2], mid.shape[3])
    }

    /// W after this delta at `strength` (W as held, float32). Strength 0 returns W itself.
    public func apply(to w: Tensor, strength: Double) throws -> Tensor {
        if strength == 0 { return w }
        // (strength * alpha) is a Python float; torch applies it to a float32 tensor as float32.
        let c = Float(strength * scale)
        if doraScale == nil, case let .lowRank(up, down, mid) = product {
            let down = try mid.map { try Self.throughMid(down: down, mid: $0) } ?? down
            return try LoRAMath.matmul(up, down, addedTo: w, scale: c)
        }
        if doraScale == nil, case let .hadamard(.product(a1, b1), .product(a2, b2)) = product {
            return try LoRAMath.hadamard(a1, b1, a2, b2, addedTo: w, scale: c)
        }
        let diff = try difference(shape: w.shape)
        if let doraScale { return try Self.decompose(w, diff, alpha: Float(scale), magnitude: doraScale, strength: strength) }
        var out = w
        diff.withUnsafeBufferPointer { d in out.withUnsafeMutableBufferPointer { o in
            for i in o.indices { o[i] += c * d[i] }
        } }
        return out
    }
}

func transpose2D(_ t: Tensor) -> Tensor {
    let (m, n) = (t.shape[0], t.shape[1]), v = t.scalars
    var out = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { out[j * m + i] = v[i * n + j] } }
    return Tensor(shape: [n, m], scalars: out)
}

/// Swaps the first two dimensions of a tensor of rank >= 2.
func transpose01(_ t: Tensor) -> Tensor {
    let (a, b) = (t.shape[0], t.shape[1]), rest = t.count / max(a * b, 1), v = t.scalars
    var out = [Float](repeating: 0, count: t.count)
    for i in 0..<a { for j in 0..<b { for k in 0..<rest { out[(j * a + i) * rest + k] = v[(i * b + j) * rest + k] } } }
    var shape = t.shape
    shape.swapAt(0, 1)
    return Tensor(shape: shape, scalars: out)
}
