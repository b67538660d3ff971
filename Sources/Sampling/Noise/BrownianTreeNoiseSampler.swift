// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py BrownianTreeNoiseSampler and
// BatchedBrownianTree with one seed and cpu=True (what KSampler's SDE samplers use).
import Foundation
import TensorCore

/// The SDE samplers' noise: a torchsde Brownian tree on [sigmaMin, sigmaMax] seeded with the
/// KSampler seed; a call (sigma, sigmaNext) returns (W(sigmaNext) - W(sigma)) / sqrt|sigmaNext - sigma|,
/// a unit normal, correlated across calls as a Brownian path is.
public struct BrownianTreeNoiseSampler: NoiseSampler {
    private let tree: BrownianTree
    private let treeSign: Float

    /// `sigmaMin`/`sigmaMax`: the smallest non-zero and the largest sigma of the schedule.
    public init(shape: [Int], sigmaMin: Float, sigmaMax: Float, seed: UInt64) {
        let (t0, t1) = sigmaMin < sigmaMax ? (sigmaMin, sigmaMax) : (sigmaMax, sigmaMin)
        treeSign = sigmaMin < sigmaMax ? 1 : -1
        tree = BrownianTree(t0: Double(t0), t1: Double(t1), shape: shape, entropy: seed)
    }

    public var shape: [Int] { tree.shape }

    public func noise(sigma: Float, sigmaNext: Float) -> Tensor {
        let (low, high, sign): (Float, Float, Float) = sigma < sigmaNext ? (sigma, sigmaNext, 1) : (sigmaNext, sigma, -1)
        var w = tree.increment(from: Double(low), to: Double(high))
        let factor = treeSign * sign, norm = abs(sigmaNext - sigma).squareRoot()
        w.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = (p[i] * factor) / norm }
        }
        return w
    }
}
