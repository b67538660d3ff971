import Execution

/// KSampler's `sampler_name` choices (comfy/samplers.py `SAMPLER_NAMES`, this order).
public enum SamplerName: String, ComboValue {
    case euler, euler_cfg_pp, euler_ancestral, euler_ancestral_cfg_pp, heun, heunpp2, exp_heun_2_x0,
         exp_heun_2_x0_sde, dpm_2, dpm_2_ancestral, lms, dpm_fast, dpm_adaptive, dpmpp_2s_ancestral,
         dpmpp_2s_ancestral_cfg_pp, dpmpp_sde, dpmpp_sde_gpu, dpmpp_2m, dpmpp_2m_cfg_pp, dpmpp_2m_sde,
         dpmpp_2m_sde_gpu, dpmpp_2m_sde_heun, dpmpp_2m_sde_heun_gpu, dpmpp_3m_sde, dpmpp_3m_sde_gpu, ddpm,
         lcm, ipndm, ipndm_v, deis, res_multistep, res_multistep_cfg_pp, res_multistep_ancestral,
         res_multistep_ancestral_cfg_pp, gradient_estimation, gradient_estimation_cfg_pp, er_sde, seeds_2,
         seeds_3, sa_solver, sa_solver_pece, ddim, uni_pc, uni_pc_bh2
}

/// KSampler's `scheduler` choices (comfy/samplers.py `SCHEDULER_HANDLERS`, this order).
public enum SchedulerName: String, ComboValue {
    case simple, sgm_uniform, karras, exponential, ddim_uniform, beta, normal, linear_quadratic, kl_optimal
}

/// LatentUpscale / LatentUpscaleBy `upscale_method`.
public enum LatentUpscaleMethod: String, ComboValue {
    case nearestExact = "nearest-exact", bilinear, area, bicubic, bislerp
}

/// ImageScale `upscale_method`.
public enum ImageUpscaleMethod: String, ComboValue {
    case nearestExact = "nearest-exact", bilinear, area, bicubic, lanczos
}

/// `crop` of LatentUpscale / ImageScale.
public enum CropMode: String, ComboValue {
    case disabled, center
}
