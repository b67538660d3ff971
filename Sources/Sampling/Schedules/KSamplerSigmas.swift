// Matches ComfyUI 0.8.0 comfy/samplers.py KSampler.calculate_sigmas and KSampler.set_steps.

/// The sigmas the KSampler node hands to its sampler for (steps, denoise).
///
/// - `denoise` > 0.9999: the scheduler's schedule for `steps`.
/// - otherwise the schedule for `Int(steps / denoise)` steps (truncated), keeping its last
///   steps + 1 values; `denoise` <= 0 gives no sigmas (the latent passes through unchanged).
/// - Samplers that `discardsPenultimateSigma` (dpm_2, dpm_2_ancestral, uni_pc, uni_pc_bh2) ask for
///   one step more and drop the second-to-last sigma.
public func ksamplerSigmas(_ sampling: ModelSampling, sampler: SamplerName, scheduler: Scheduler,
                           steps: Int, denoise: Double = 1) throws -> [Float] {
    func schedule(_ steps: Int) throws -> [Float] {
        guard sampler.discardsPenultimateSigma else {
            return try calculateSigmas(sampling, scheduler: scheduler, steps: steps)
        }
        var sigmas = try calculateSigmas(sampling, scheduler: scheduler, steps: steps + 1)
        sigmas.remove(at: sigmas.count - 2)
        return sigmas
    }
    if denoise > 0.9999 { return try schedule(steps) }
    if denoise <= 0 { return [] }
    guard steps >= 1 else { throw ScheduleError.stepsBelowOne(steps) }
    // Validation lets NaN through (Python's comparisons are false for it); ComfyUI's int() then
    // raises. A tiny denoise asks for a schedule no memory holds (1e-300: 10^301 steps).
    let scheduled = Double(steps) / denoise
    guard !scheduled.isNaN else { throw ScheduleError.denoiseNotANumber }
    guard scheduled < Double(maxScheduleSteps + 1) else {
        throw ScheduleError.scheduleTooLong(steps: steps, denoise: denoise)
    }
    let full = try schedule(Int(scheduled))
    return Array(full.suffix(steps + 1))
}

/// The longest schedule `ksamplerSigmas` computes for a partial denoise (steps / denoise steps):
/// 10^8 sigmas, 400 MB. steps 10000 at denoise 0.0001 still fits.
public let maxScheduleSteps = 100_000_000
