// Matches ComfyUI 0.8.0 comfy/samplers.py KSAMPLER.sample and CFGGuider.sample (the model-independent
// part): the first step's noise scaling, the sampler function, the inverse scaling.
import TensorCore

/// How a model mixes noise into a latent (comfy/model_sampling.py EPS and CONST).
public enum NoiseParametrization: Sendable {
    /// SD1.x/SD2/SDXL: x = latent + noise * sigma (sqrt(1 + sigma^2) at maximum denoise).
    case eps
    /// Flux and other flow models: x = sigma * noise + (1 - sigma) * latent.
    case const
}

/// Runs sampler `name` as KSampler does once it has its sigmas: scales the noise into the
/// starting latent, runs the k-diffusion sampler against `denoiser`, and returns the sampled
/// latent (model space: the caller applies the latent format's process_in/process_out).
///
/// - `noise`: `prepareNoise(shape:seed:)` (or zeros for add_noise = disable).
/// - `seed`: the KSampler seed, for the samplers that draw noise of their own (ancestral, SDE).
/// - `latentImage`: the (process_in'ed) input latent, zeros for txt2img.
/// - `sigmaMax`: the model's largest sigma; a schedule starting there (within 1e-5 relative) or
///   above scales the noise by sqrt(1 + sigma^2) ("max denoise").
/// Empty `sigmas` return `latentImage` unchanged (denoise 0).
public func runSampler(_ name: SamplerName, denoiser: Denoiser, noise: Tensor, latentImage: Tensor,
                       sigmas: [Float], sigmaMax: Float, parametrization: NoiseParametrization = .eps,
                       seed: UInt64, options: SamplingOptions = SamplingOptions()) throws -> Tensor {
    guard !sigmas.isEmpty else { return latentImage }
    guard noise.shape == latentImage.shape else {
        throw SamplingError.noiseShape(noise: noise.shape, latent: latentImage.shape)
    }
    guard SamplerName.implemented.contains(name) else { throw SamplingError.unsupportedSampler(name.rawValue) }
    let sigma0 = sigmas[0]
    let maxDenoise = abs(Double(sigmaMax) - Double(sigma0)) <= 1e-5 * max(abs(Double(sigmaMax)), abs(Double(sigma0)))
        || sigma0 > sigmaMax
    let run = SamplerRun(denoiser: denoiser, sigmas: sigmas, seed: seed, options: options, parametrization: parametrization)
    let x = run.noiseScaling(sigma: sigma0, noise: Latent(noise), latent: Latent(latentImage), maxDenoise: maxDenoise)
    let samples = try samplerFunction(name)(x, run)
    switch parametrization {
    case .eps: return samples.tensor
    case .const: return (samples / (1 - sigmas[sigmas.count - 1])).tensor
    }
}

private func samplerFunction(_ name: SamplerName) -> (Latent, SamplerRun) throws -> Latent {
    switch name {
    case .euler: return EulerFamily.euler
    // ddim is euler plus an inpainting-only noise draw (comfy/samplers.py sampler_object): KSAMPLER
    // with inpaint_options random seeds torch.manual_seed(seed + 1) on every run, so seed 2^64-1
    // fails as in ComfyUI (e2e/seed_probes.json); the draw itself changes nothing without a mask.
    case .ddim: return { x, run in _ = try run.ancestralNoise(like: x); return try EulerFamily.euler(x, run) }
    case .euler_ancestral: return EulerFamily.eulerAncestral
    case .heun: return EulerFamily.heun
    case .heunpp2: return EulerFamily.heunpp2
    case .ipndm: return { try IPNDM.sample($0, $1, variableStep: false) }
    case .ipndm_v: return { try IPNDM.sample($0, $1, variableStep: true) }
    case .dpm_2: return EulerFamily.dpm2
    case .dpm_2_ancestral: return EulerFamily.dpm2Ancestral
    case .lms: return { try LinearMultistep.lms($0, $1) }
    case .dpmpp_2s_ancestral: return DPMSolverPlusPlus.twoSAncestral
    // The _gpu variants differ only in where the Brownian tree lives; on the CPU they are the same.
    case .dpmpp_sde, .dpmpp_sde_gpu: return DPMSolverPlusPlus.sde
    case .dpmpp_2m: return DPMSolverPlusPlus.twoM
    case .dpmpp_2m_sde, .dpmpp_2m_sde_gpu: return { try DPMSolverPlusPlus.twoMSDE($0, $1, solver: .midpoint) }
    case .dpmpp_2m_sde_heun, .dpmpp_2m_sde_heun_gpu: return { try DPMSolverPlusPlus.twoMSDE($0, $1, solver: .heun) }
    case .dpmpp_3m_sde, .dpmpp_3m_sde_gpu: return DPMSolverPlusPlus.threeMSDE
    case .ddpm: return StepSamplers.ddpm
    case .lcm: return StepSamplers.lcm
    case .euler_cfg_pp: return { try CFGPlusPlus.eulerAncestral($0, $1, eta: 0) }
    case .euler_ancestral_cfg_pp: return { try CFGPlusPlus.eulerAncestral($0, $1, eta: 1) }
    case .dpmpp_2s_ancestral_cfg_pp: return CFGPlusPlus.dpmpp2SAncestral
    case .dpmpp_2m_cfg_pp: return CFGPlusPlus.dpmpp2M
    case .res_multistep: return { try ResMultistep.sample($0, $1, eta: 0, cfgPP: false) }
    case .res_multistep_cfg_pp: return { try ResMultistep.sample($0, $1, eta: 0, cfgPP: true) }
    case .res_multistep_ancestral: return { try ResMultistep.sample($0, $1, eta: 1, cfgPP: false) }
    case .res_multistep_ancestral_cfg_pp: return { try ResMultistep.sample($0, $1, eta: 1, cfgPP: true) }
    case .gradient_estimation: return { try ResMultistep.gradientEstimation($0, $1, cfgPP: false) }
    case .gradient_estimation_cfg_pp: return { try ResMultistep.gradientEstimation($0, $1, cfgPP: true) }
    case .seeds_2: return { try Seeds.seeds2($0, $1, eta: 1, r: 0.5, solver: .phi1) }
    case .exp_heun_2_x0: return { try Seeds.seeds2($0, $1, eta: 0, r: 1, solver: .phi2) }
    case .exp_heun_2_x0_sde: return { try Seeds.seeds2($0, $1, eta: 1, r: 1, solver: .phi2) }
    case .seeds_3: return { try Seeds.seeds3($0, $1) }
    case .dpm_fast: return DPMSolver.fast
    case .dpm_adaptive: return DPMSolver.adaptive
    case .sa_solver: return { try SASolver.sample($0, $1, pece: false) }
    case .sa_solver_pece: return { try SASolver.sample($0, $1, pece: true) }
    case .deis: return { try DEIS.sample($0, $1) }
    case .er_sde: return { try ERSDE.sample($0, $1) }
    case .uni_pc: return { try UniPC.sample($0, $1, variant: .bh1) }
    case .uni_pc_bh2: return { try UniPC.sample($0, $1, variant: .bh2) }
    }
}
