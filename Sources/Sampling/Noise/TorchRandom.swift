// Matches PyTorch 2.x CPU `torch.randn` for float32 (aten/src/ATen/native/cpu/DistributionTemplates.h
// normal_fill / normal_fill_16 and at::normal_distribution<double>) on top of MT19937.
import Foundation
import TensorCore

/// PyTorch's CPU generator: an MT19937 plus the cached second Box-Muller value of its scalar
/// `normal_distribution<double>` path. One instance is one `torch.Generator`: successive `randn`
/// calls continue one stream, as consecutive `torch.randn(..., generator=g)` calls do.
///
/// Exactness: both paths are bit-exact with torch 2.x on x86 (AVX2/AVX-512 builds): the scalar
/// path (fewer than 16 values) is float64 libm, the blockwise path uses torch's own float32
/// log/sincos (`CephesFloat`), not libm's, which would differ in the last bit for ~14% of values.
public struct TorchRandom: Sendable {
    private var engine: MersenneTwister
    /// torch's `next_double_normal_sample`: the sine half of the last scalar Box-Muller pair.
    private var cachedNormal: Double?

    /// `torch.manual_seed(seed)` / `Generator.manual_seed(seed)`; only the low 32 bits matter.
    public init(seed: UInt64) {
        engine = MersenneTwister(seed: seed)
        cachedNormal = nil
    }

    /// The next raw 32-bit output of the engine (`generator->random()`).
    public mutating func nextUInt32() -> UInt32 { engine.next() }

    /// `uniform_real_distribution<float>(0, 1)`: 24 random bits scaled by 2^-24 (exact in float32).
    mutating func uniformFloat() -> Float {
        Float(engine.next() & 0xFF_FFFF) * 0x1p-24
    }

    /// `uniform_real_distribution<double>(0, 1)` on `random64()`: the first 32-bit output is the
    /// high half; 53 bits scaled by 2^-53.
    mutating func uniformDouble() -> Double {
        let high = UInt64(engine.next()), low = UInt64(engine.next())
        return Double(((high << 32) | low) & ((1 << 53) - 1)) * 0x1p-53
    }

    /// `torch.randn(shape, dtype=float32, generator=self)`.
    public mutating func randn(_ shape: [Int]) -> Tensor {
        var out = Tensor(shape: shape, uninitialized: ())
        out.withUnsafeMutableBufferPointer { fillNormal($0) }
        return out
    }

    /// Fills `data` as torch's `normal_fill` fills a contiguous float tensor (mean 0, std 1).
    public mutating func fillNormal(_ data: UnsafeMutableBufferPointer<Float>) {
        let n = data.count
        guard n >= 16 else {
            // torch's scalar path for small tensors: normal_distribution<double> per element.
            for i in 0..<n { data[i] = Float(nextDoubleNormal()) }
            return
        }
        for i in 0..<n { data[i] = uniformFloat() }
        var block = 0
        while block + 16 <= n {
            Self.boxMuller16(data.baseAddress! + block)
            block += 16
        }
        if n % 16 != 0 {
            // torch recomputes the last 16 outputs from 16 fresh uniforms.
            let tail = data.baseAddress! + (n - 16)
            for i in 0..<16 { tail[i] = uniformFloat() }
            Self.boxMuller16(tail)
        }
    }

    /// normal_fill_16: uniforms u[0..<16] -> normals; u[j] and u[j+8] form the pair j (float32).
    private static func boxMuller16(_ u: UnsafeMutablePointer<Float>) {
        let twoPi = Float(2 * Double.pi)
        for j in 0..<8 {
            let u1 = 1 - u[j], u2 = u[j + 8]
            let radius = (-2 * CephesFloat.log(u1)).squareRoot()
            let (sine, cosine) = CephesFloat.sincos(twoPi * u2)
            u[j] = radius * cosine
            u[j + 8] = radius * sine
        }
    }

    /// `at::normal_distribution<double>(0, 1)`, with the generator-level cache of the second value.
    mutating func nextDoubleNormal() -> Double {
        if let cached = cachedNormal {
            cachedNormal = nil
            return cached
        }
        let u1 = uniformDouble(), u2 = uniformDouble()
        let radius = (-2 * Foundation.log1p(-u2)).squareRoot()
        let theta = 2 * Double.pi * u1
        cachedNormal = radius * Foundation.sin(theta)
        return radius * Foundation.cos(theta)
    }
}
