// Matches ComfyUI 0.8.0 comfy/supported_models.py Flux / FluxSchnell (model_detection.py: BFL
// double_blocks with q/k norms and img_in; latent_formats.Flux; ModelSamplingFlux shift 1.15 + CONST
// for dev; CLIP-L + T5-XXL) and model_base.Flux.extra_conds, recognised, not run yet (issue 14).
import Models
import TensorCore

extension ModelFamily {
    /// Flux.1. Schnell (no `guidance_in`) is FluxSchnell: ModelSamplingDiscreteFlow shift 1,
    /// multiplier 1, FLOW.
    public static let flux = ModelFamily(
        name: "Flux",
        detect: { probe in
            guard probe.has("double_blocks.0.img_attn.norm.key_norm.scale"), probe.has("img_in.weight"),
                  !probe.has("double_stream_modulation_img.lin.weight") else { return nil }   // that is Flux.2
            return probe.has("guidance_in.in_layer.weight") ? "dev: guidance embedding" : "schnell: no guidance embedding"
        },
        latentFormat: .flux,
        sampling: .flux(shift: 1.15),
        textEncoders: [.init(node: "DualCLIPLoader", type: "flux", encoders: [.clipL, .t5XXL])],
        conditioning: fluxConditioning,
        loaders: nil)

    /// model_base.Flux.extra_conds: `c_crossattn` (the T5 context, CONDRegular: no LCM padding), `y`
    /// (CLIP-L's pooled output, encode_adm) and `guidance` (FluxGuidance's value, else 3.5), [1].
    static let fluxConditioning: @Sendable (ConditioningValue.Entry, ConditioningSite) throws -> ModelConditioning = { entry, _ in
        guard let pooled = entry.pooled else { throw MissingModelInput(key: "pooled_output", present: ["cond"]) }
        return ModelConditioning([.crossAttention: .regular(entry.cond), .y: .regular(pooled),
                                  .guidance: .regular(Tensor(shape: [1], scalars: [Float(entry.guidance ?? 3.5)]))])
    }
}

extension LatentFormat {
    /// latent_formats.Flux: process_in(z) = (z - 0.1159) * 0.3611.
    public static let flux = LatentFormat(channels: 16, scaleFactor: 0.3611, shiftFactor: 0.1159, rgbFactors: [
        [-0.0346, 0.0244, 0.0681], [0.0034, 0.0210, 0.0687], [0.0275, -0.0668, -0.0433], [-0.0174, 0.0160, 0.0617],
        [0.0859, 0.0721, 0.0329], [0.0004, 0.0383, 0.0115], [0.0405, 0.0861, 0.0915], [-0.0236, -0.0185, -0.0259],
        [-0.0245, 0.0250, 0.1180], [0.1008, 0.0755, -0.0421], [-0.0515, 0.0201, 0.0011], [0.0428, -0.0012, -0.0036],
        [0.0817, 0.0765, 0.0749], [-0.1264, -0.0522, -0.1103], [-0.0280, -0.0881, -0.0499], [-0.1262, -0.0982, -0.0778],
    ], rgbFactorsBias: [-0.0329, -0.0718, -0.0851])
}
