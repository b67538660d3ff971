// Matches ComfyUI 0.8.0 comfy/model_sampling.py ModelSamplingFlux and flux_time_shift.
import Foundation

/// Flux's rectified-flow noise levels: sigma(t) = e^mu / (e^mu + (1/t - 1)), with mu = `shift`;
/// the timestep is the sigma itself. The table has 10000 entries, t = i / 10000 for i in 1...10000.
public struct ModelSamplingFlux: ModelSampling {
    public let shift: Double
    public let sigmas: [Float]

    /// `shift` is 1.15 by default (Flux's sampling settings; the ModelSamplingFlux node sets it
    /// from the image size).
    public init(shift: Double = 1.15, timesteps: Int = 10000) {
        self.shift = shift
        sigmas = (1...timesteps).map { Self.sigma(shift: shift, Float($0) / Float(timesteps)) }
    }

    public func timestep(_ sigma: Float) -> Float { sigma }

    public func sigma(_ timestep: Float) -> Float { Self.sigma(shift: shift, timestep) }

    /// flux_time_shift(mu, 1.0, t) with t a float32 tensor: `e^mu / tensor` is torch's
    /// `reciprocal(tensor) * e^mu` in float32.
    static func sigma(shift: Double, _ t: Float) -> Float {
        let expMu = Float(exp(shift))
        let denominator = expMu + (1 / t - 1)
        return (1 / denominator) * expMu
    }

    public func percentToSigma(_ percent: Double) -> Double {
        if percent <= 0 { return 1 }
        if percent >= 1 { return 0 }
        // Here t is a Python float: plain double arithmetic.
        return exp(shift) / (exp(shift) + (1 / (1 - percent) - 1))
    }
}
