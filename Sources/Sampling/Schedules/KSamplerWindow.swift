// Matches ComfyUI 0.8.0 comfy/samplers.py KSampler.sample (start_step / last_step /
// force_full_denoise, as KSamplerAdvanced sets them) and CFGGuider.sample's empty-sigmas case.

/// What KSampler does with its sigmas once start/end steps are applied.
public enum SigmaWindow: Equatable, Sendable {
    /// Sample over these sigmas.
    case sample([Float])
    /// Return the input latent unchanged (start step at or past the end, or no sigmas at all);
    /// ComfyUI returns it as given, before any latent-format scaling.
    case passThrough
}

/// KSampler.sample's slicing: `lastStep` keeps sigmas[0...lastStep] (and with
/// `forceFullDenoise` sets the new last sigma to 0: KSamplerAdvanced's return_with_leftover_noise
/// "disable"); `startStep` then drops the first `startStep` sigmas, or passes the latent through
/// when it is not before the last sigma.
public func ksamplerWindow(_ sigmas: [Float], startStep: Int? = nil, lastStep: Int? = nil,
                           forceFullDenoise: Bool = false) -> SigmaWindow {
    var sigmas = sigmas
    if let last = lastStep, last < sigmas.count - 1 {
        sigmas = Array(sigmas.prefix(max(last + 1, 0)))
        if forceFullDenoise && !sigmas.isEmpty { sigmas[sigmas.count - 1] = 0 }
    }
    if let start = startStep {
        guard start < sigmas.count - 1 else { return .passThrough }
        sigmas = Array(sigmas.dropFirst(max(start, 0)))
    }
    return sigmas.isEmpty ? .passThrough : .sample(sigmas)
}
