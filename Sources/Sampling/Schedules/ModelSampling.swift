// Matches ComfyUI 0.8.0 comfy/model_sampling.py: the interface the schedulers and samplers use.

/// A model's noise parametrisation: its table of sigmas and the sigma <-> timestep mapping.
/// Values are Float32 as ComfyUI holds them (its buffers are float32 tensors).
public protocol ModelSampling: Sendable {
    /// The model's sigma table, ascending (`model_sampling.sigmas`).
    var sigmas: [Float] { get }
    /// The timestep the model receives for `sigma` (`model_sampling.timestep`).
    func timestep(_ sigma: Float) -> Float
    /// The sigma of a (possibly fractional) timestep (`model_sampling.sigma`).
    func sigma(_ timestep: Float) -> Float
    /// `percent_to_sigma`: the sigma at a fraction of the way through sampling.
    func percentToSigma(_ percent: Double) -> Double
}

extension ModelSampling {
    public var sigmaMin: Float { sigmas[0] }
    public var sigmaMax: Float { sigmas[sigmas.count - 1] }
}
