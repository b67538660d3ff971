import TensorCore
@testable import Sampling

/// The exact denoiser of a standard Gaussian data distribution: E[x0 | x0 + sigma * n] = x / (1 + sigma^2).
/// Its probability-flow ODE has the closed-form solution x(sigma) = x(T) * sqrt((1 + sigma^2) / (1 + T^2)),
/// and an exact sampler maps N(0, 1 + T^2) noise to N(0, 1) samples.
/// As a `GuidedDenoiser` it reports the same prediction as unconditional (cfg 1), so each CFG++
/// sampler must behave as its plain counterpart.
struct GaussianPriorDenoiser: GuidedDenoiser {
    func denoise(_ x: Tensor, sigma: Float) throws -> Tensor {
        let scale = 1 / (1 + Double(sigma) * Double(sigma))
        return Tensor(shape: x.shape, scalars: x.scalars.map { Float(Double($0) * scale) })
    }

    func denoiseGuided(_ x: Tensor, sigma: Float) throws -> (denoised: Tensor, uncond: Tensor) {
        let denoised = try denoise(x, sigma: sigma)
        return (denoised, denoised)
    }
}

/// Returns a fixed value for every element; counts its calls and keeps the first input.
final class RecordingDenoiser: Denoiser {
    var calls = 0
    var firstInput: Tensor?
    var output: (Tensor) -> Tensor

    init(output: @escaping (Tensor) -> Tensor = { Tensor(shape: $0.shape, repeating: 0) }) { self.output = output }

    func denoise(_ x: Tensor, sigma: Float) throws -> Tensor {
        if firstInput == nil { firstInput = x }
        calls += 1
        return output(x)
    }
}

/// Mean and standard deviation of a tensor's values.
func moments(_ t: Tensor) -> (mean: Double, std: Double) {
    let v = t.scalars.map(Double.init)
    let mean = v.reduce(0, +) / Double(v.count)
    let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)
    return (mean, variance.squareRoot())
}

func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.scalars, b.scalars).map { abs(Double($0) - Double($1)) }.max() ?? 0
}
