// Matches ComfyUI 0.8.0 comfy/samplers.py SAMPLER_NAMES (KSAMPLER_NAMES + ddim, uni_pc, uni_pc_bh2).

/// Every `sampler_name` choice of KSampler, in ComfyUI's order, spelled as ComfyUI spells it: the
/// one list of sampler names (the KSampler nodes' combos are these cases).
public enum SamplerName: String, CaseIterable, Sendable {
    case euler, euler_cfg_pp, euler_ancestral, euler_ancestral_cfg_pp, heun, heunpp2
    case exp_heun_2_x0, exp_heun_2_x0_sde, dpm_2, dpm_2_ancestral
    case lms, dpm_fast, dpm_adaptive, dpmpp_2s_ancestral, dpmpp_2s_ancestral_cfg_pp, dpmpp_sde, dpmpp_sde_gpu
    case dpmpp_2m, dpmpp_2m_cfg_pp, dpmpp_2m_sde, dpmpp_2m_sde_gpu, dpmpp_2m_sde_heun, dpmpp_2m_sde_heun_gpu
    case dpmpp_3m_sde, dpmpp_3m_sde_gpu, ddpm, lcm
    case ipndm, ipndm_v, deis, res_multistep, res_multistep_cfg_pp, res_multistep_ancestral
    case res_multistep_ancestral_cfg_pp
    case gradient_estimation, gradient_estimation_cfg_pp, er_sde, seeds_2, seeds_3, sa_solver, sa_solver_pece
    case ddim, uni_pc, uni_pc_bh2

    /// The samplers SwiftComfy implements so far; the others throw `SamplingError.unsupportedSampler`.
    public static let implemented: Set<SamplerName> = [
        .euler, .euler_ancestral, .heun, .dpm_2, .dpm_2_ancestral, .lms, .dpmpp_2s_ancestral,
        .dpmpp_sde, .dpmpp_sde_gpu, .dpmpp_2m, .dpmpp_2m_sde, .dpmpp_2m_sde_gpu,
        .dpmpp_2m_sde_heun, .dpmpp_2m_sde_heun_gpu, .dpmpp_3m_sde, .dpmpp_3m_sde_gpu, .ddpm, .lcm,
        .heunpp2, .ipndm, .ipndm_v, .ddim, .uni_pc, .uni_pc_bh2,
        .euler_cfg_pp, .euler_ancestral_cfg_pp, .dpmpp_2s_ancestral_cfg_pp, .dpmpp_2m_cfg_pp,
        .res_multistep, .res_multistep_cfg_pp, .res_multistep_ancestral, .res_multistep_ancestral_cfg_pp,
        .gradient_estimation, .gradient_estimation_cfg_pp, .seeds_2, .seeds_3, .exp_heun_2_x0, .exp_heun_2_x0_sde,
        .er_sde, .deis, .dpm_fast, .dpm_adaptive, .sa_solver, .sa_solver_pece,
    ]

    /// The CFG++ samplers: they need a `GuidedDenoiser` (the unconditional prediction too).
    public var needsUnconditionalPrediction: Bool { rawValue.hasSuffix("_cfg_pp") }

    /// KSampler asks these for one step more and drops the penultimate sigma
    /// (`KSampler.DISCARD_PENULTIMATE_SIGMA_SAMPLERS`).
    public var discardsPenultimateSigma: Bool {
        switch self {
        case .dpm_2, .dpm_2_ancestral, .uni_pc, .uni_pc_bh2: return true
        default: return false
        }
    }
}
