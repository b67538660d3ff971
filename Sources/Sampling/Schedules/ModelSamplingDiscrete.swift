// Matches ComfyUI 0.8.0 comfy/model_sampling.py ModelSamplingDiscrete (SD1.x/SD2/SDXL: linear
// beta schedule, no zero-terminal SNR) and comfy/ldm/modules/diffusionmodules/util.py
// make_beta_schedule("linear").
import Foundation

/// Discrete-time DDPM noise levels: 1000 timesteps with "scaled linear" betas.
public struct ModelSamplingDiscrete: ModelSampling {
    public let sigmas: [Float]
    /// log of the float64 sigmas, rounded to Float32 (not the log of the Float32 sigmas).
    public let logSigmas: [Float]

    /// betas = linspace(sqrt(start), sqrt(end), timesteps) squared, all float64 as ComfyUI
    /// computes them; sigma_t = sqrt((1 - alphā_t) / alphā_t), stored as Float32.
    public init(linearStart: Double = 0.00085, linearEnd: Double = 0.012, timesteps: Int = 1000) {
        let roots = torchLinspace(linearStart.squareRoot(), linearEnd.squareRoot(),
                                  count: timesteps)
        var cumulative = 1.0
        var sigmas64 = [Double]()
        sigmas64.reserveCapacity(timesteps)
        for root in roots {
            cumulative *= 1 - root * root
            sigmas64.append(((1 - cumulative) / cumulative).squareRoot())
        }
        sigmas = sigmas64.map { Float($0) }
        logSigmas = sigmas64.map { Float(Foundation.log($0)) }
    }

    /// The index t whose log-sigma is nearest to log(sigma) (float32 distances, first minimum),
    /// as a Float: ComfyUI's `timestep(sigma)` (the UNet receives it as float32).
    public func timestep(_ sigma: Float) -> Float {
        let logSigma = Foundation.log(sigma)
        var best = 0
        var bestDistance = Float.infinity
        for (t, l) in logSigmas.enumerated() {
            let distance = abs(logSigma - l)
            if distance < bestDistance { best = t; bestDistance = distance }
        }
        return Float(best)
    }

    /// exp of the linear interpolation of log-sigmas between floor(t) and ceil(t), in float32,
    /// with t clamped to [0, timesteps - 1].
    public func sigma(_ timestep: Float) -> Float {
        // A NaN timestep would make the index trap; it cannot come from a valid schedule.
        let t = timestep.isNaN ? 0 : min(max(timestep, 0), Float(sigmas.count - 1))
        let low = Int(t.rounded(.down)), high = Int(t.rounded(.up))
        let w = t - t.rounded(.towardZero)
        let logSigma = (1 - w) * logSigmas[low] + w * logSigmas[high]
        return Foundation.exp(logSigma)
    }

    /// `percent_to_sigma`: the sigma at `percent` of the way through sampling (0 -> above any
    /// sigma, 1 -> 0), used by start/end percentages of conditioning and ControlNets.
    public func percentToSigma(_ percent: Double) -> Double {
        if percent <= 0 { return 999_999_999.9 }
        if percent >= 1 { return 0 }
        return Double(sigma(Float((1 - percent) * 999)))
    }
}
