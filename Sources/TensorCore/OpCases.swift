/// The op shapes SwiftComfy's models run, as one table: `Benchmarks ops` times them at full size
/// and TensorCoreTests checks the same cases at `reduced` size against plain-loop twins.
public struct OpCase: Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// C[m, n] = A[m, k] B[k, n].
        case sgemm(m: Int, n: Int, k: Int)
        /// x [batch, cin, size, size] -> cout channels, square kernel, padding keeps the size at stride 1.
        case conv2d(batch: Int, cin: Int, cout: Int, size: Int, kernel: Int, stride: Int)
        /// Self-attention over `tokens` with `heads` heads of `dim`.
        case attention(batch: Int, heads: Int, tokens: Int, dim: Int)
        case groupNorm(shape: [Int], groups: Int)
        case silu(count: Int)
    }

    public let name: String
    public let kind: Kind
    /// Tolerance of the fast op against its Double twin (absolute, on inputs in [-1, 1)).
    public let tolerance: Float

    public init(_ name: String, _ kind: Kind, tolerance: Float) {
        self.name = name
        self.kind = kind
        self.tolerance = tolerance
    }

    public var description: String { name }

    /// Floating-point operations (multiply and add counted apart).
    public var flops: Double {
        switch kind {
        case let .sgemm(m, n, k): return 2 * Double(m) * Double(n) * Double(k)
        case let .conv2d(b, cin, cout, size, kernel, stride):
            let out = Double(size / stride)
            return 2 * Double(b * cin * cout * kernel * kernel) * out * out
        case let .attention(b, h, t, d): return 4 * Double(b * h) * Double(t) * Double(t) * Double(d)
        case let .groupNorm(shape, _): return 8 * Double(shape.reduce(1, *))
        case let .silu(count): return 4 * Double(count)
        }
    }

    /// Bytes an ideal memory-bound implementation moves (read input once, write output once).
    public var bytes: Double {
        switch kind {
        case let .groupNorm(shape, _): return 8 * Double(shape.reduce(1, *))
        case let .silu(count): return 8 * Double(count)
        default: return 0
        }
    }

    /// The reduction length the fp32 rounding grows with: K of a GEMM, cin · kernel² of a
    /// convolution (its fan-in); nil where the tolerance does not depend on the size.
    public var fanIn: Int? {
        switch kind {
        case let .sgemm(_, _, k): return k
        case let .conv2d(_, cin, _, _, kernel, _): return cin * kernel * kernel
        default: return nil
        }
    }

    /// The same case shrunk so a Double plain-loop twin checks it in milliseconds. A GEMM or
    /// convolution tolerance is stated per unit of fan-in (1e-5 · fan-in, as MatmulTests and
    /// Conv2dTests), so it shrinks with the fan-in; the others keep theirs.
    public var reduced: OpCase {
        let small: Kind
        switch kind {
        case let .sgemm(m, n, k): small = .sgemm(m: min(m, 96), n: min(n, 80), k: min(k, 300))
        case let .conv2d(_, cin, cout, size, kernel, stride):
            small = .conv2d(batch: 1, cin: min(cin, 24), cout: min(cout, 16), size: min(size, 20), kernel: kernel, stride: stride)
        case let .attention(b, h, t, d): small = .attention(batch: min(b, 2), heads: min(h, 2), tokens: min(t, 70), dim: d)
        case let .groupNorm(shape, groups): small = .groupNorm(shape: [1, shape[1], 6, 5], groups: groups)
        case let .silu(count): small = .silu(count: min(count, 100_000))
        }
        let shrunk = OpCase(name, small, tolerance: tolerance)
        guard let full = fanIn, let part = shrunk.fanIn else { return shrunk }
        return OpCase(name, small, tolerance: tolerance * Float(part) / Float(full))
    }

    /// Issue 3's benchmark set: the largest GEMM-like shapes of SD1.5's UNet and VAE.
    public static let standard: [OpCase] = [
        OpCase("sgemm 2048^3", .sgemm(m: 2048, n: 2048, k: 2048), tolerance: 1e-5 * 2048),
        OpCase("conv3x3 320->320 64x64 b2", .conv2d(batch: 2, cin: 320, cout: 320, size: 64, kernel: 3, stride: 1), tolerance: 1e-5 * 2880),
        OpCase("conv3x3 128->128 512x512 b1", .conv2d(batch: 1, cin: 128, cout: 128, size: 512, kernel: 3, stride: 1), tolerance: 1e-5 * 1152),
        OpCase("attention 2x8 heads 4096 tok d40", .attention(batch: 2, heads: 8, tokens: 4096, dim: 40), tolerance: 1e-5),
        OpCase("groupNorm [2,320,64,64] g32", .groupNorm(shape: [2, 320, 64, 64], groups: 32), tolerance: 1e-5),
        OpCase("silu [2,320,64,64]", .silu(count: 2 * 320 * 64 * 64), tolerance: 2e-6),
    ]
}
