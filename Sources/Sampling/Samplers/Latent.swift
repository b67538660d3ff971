// Float32 latent arithmetic with PyTorch's rounding: each operator is one torch kernel (one
// rounding per element); a Float operand plays the role of a 0-dim float32 tensor or a Python
// scalar, which torch rounds to float32 before use.
import TensorCore

/// A latent inside a sampler. Written `x + d * dt` the expression rounds exactly as the
/// k-diffusion line it ports, as long as it is written in the same order as the Python.
struct Latent {
    var tensor: Tensor
    init(_ tensor: Tensor) { self.tensor = tensor }

    var shape: [Int] { tensor.shape }

    static func zeros(like x: Latent) -> Latent { Latent(Tensor(shape: x.shape, repeating: 0)) }

    static func + (a: Latent, b: Latent) -> Latent { zip(a, b) { $0 + $1 } }
    static func - (a: Latent, b: Latent) -> Latent { zip(a, b) { $0 - $1 } }
    static func * (a: Latent, s: Float) -> Latent { map(a) { $0 * s } }
    static func * (s: Float, a: Latent) -> Latent { map(a) { s * $0 } }
    static func / (a: Latent, s: Float) -> Latent { map(a) { $0 / s } }

    var isFinite: Bool { tensor.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) } }

    private static func map(_ a: Latent, _ f: (Float) -> Float) -> Latent {
        var out = Tensor(shape: a.shape, uninitialized: ())
        a.tensor.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] = f(src[i]) }
            }
        }
        return Latent(out)
    }

    private static func zip(_ a: Latent, _ b: Latent, _ f: (Float, Float) -> Float) -> Latent {
        precondition(a.shape == b.shape, "latent shapes differ: \(a.shape) vs \(b.shape)")
        var out = Tensor(shape: a.shape, uninitialized: ())
        a.tensor.withUnsafeBufferPointer { pa in
            b.tensor.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<dst.count { dst[i] = f(pa[i], pb[i]) }
                }
            }
        }
        return Latent(out)
    }
}
