// Matches ComfyUI 0.8.0 comfy/sample.py prepare_noise (without noise_inds) and
// comfy/k_diffusion/sampling.py default_noise_sampler (CPU).
import TensorCore

/// KSampler's initial noise: `torch.manual_seed(seed)` then one `torch.randn(shape)` for the whole
/// batch, so batch item b continues the stream of item b-1.
public func prepareNoise(shape: [Int], seed: UInt64) -> Tensor {
    var generator = TorchRandom(seed: seed)
    return generator.randn(shape)
}

/// prepare_noise with a latent's `batch_index` list (e.g. from "Latent From Batch"): one
/// randn([1, C, H, W]) per index 0...max(batchIndex), in order from one generator, and item b
/// gets the draw of its index, so a picked item reproduces its noise from the full batch.
public func prepareNoise(shape: [Int], seed: UInt64, batchIndex: [Int]) -> Tensor {
    guard let highest = batchIndex.max(), highest >= 0, !shape.isEmpty, batchIndex.allSatisfy({ $0 >= 0 }) else {
        return prepareNoise(shape: shape, seed: seed)
    }
    var generator = TorchRandom(seed: seed)
    let item = [1] + shape.dropFirst()
    let draws = (0...highest).map { _ in generator.randn(item).scalars }
    let values = batchIndex.flatMap { draws[$0] }
    return Tensor(shape: [batchIndex.count] + shape.dropFirst(), scalars: values)
}

/// A source of per-step noise for stochastic samplers: called with (sigma, sigmaNext) once per step
/// that adds noise, returns a tensor of the latent's shape.
public protocol NoiseSampler {
    mutating func noise(sigma: Float, sigmaNext: Float) throws -> Tensor
}

/// The ancestral samplers' noise (`default_noise_sampler(x, seed)` on the CPU): a new generator
/// seeded with seed + 1, each call `torch.randn(x.shape, generator=g)`.
///
/// Seed 2^64-1: seed + 1 is 2^64, which `torch.Generator.manual_seed` refuses (it unpacks the
/// seed as uint64, then as int64) with RuntimeError "Overflow when unpacking long" before the
/// first step; SwiftComfy throws the same message instead of wrapping to 0.
public struct AncestralNoiseSampler: NoiseSampler {
    public let shape: [Int]
    private var generator: TorchRandom

    public init(shape: [Int], seed: UInt64) throws {
        self.shape = shape
        let (next, overflow) = seed.addingReportingOverflow(1)
        guard !overflow else { throw SeedOverflow(seed: seed) }
        generator = TorchRandom(seed: next)
    }

    public mutating func noise(sigma: Float, sigmaNext: Float) -> Tensor {
        generator.randn(shape)
    }
}

/// torch's refusal of a generator seed at or above 2^64 (ComfyUI's ancestral samplers seed with
/// seed + 1, so the KSampler seed 2^64-1 reaches it).
public struct SeedOverflow: Error, Equatable, CustomStringConvertible {
    public let seed: UInt64
    public var description: String {
        "Overflow when unpacking long (the ancestral noise generator is seeded with seed + 1 = 2^64 "
            + "for seed \(seed); ComfyUI raises the same RuntimeError)"
    }
}
