// Matches ComfyUI 0.8.0 comfy/supported_models.py SDXL / SDXLRefiner (context_dim 2048 / 1280,
// adm_in_channels 2816 / 2560; latent_formats.SDXL; CLIP-L + CLIP-G), recognised, not run.
import Models
import TensorCore

extension ModelFamily {
    /// SDXL (and its refiner, whose `y` is another: aesthetic score instead of the target size,
    /// model_base.SDXLRefiner, not written yet).
    public static let sdxl = ModelFamily(
        name: "SDXL",
        detect: { probe in
            guard let unet = probe.unet, unet.linearProjection else { return nil }
            switch (unet.modelChannels, unet.contextDim, probe.admChannels) {
            case (320, 2048, 2816?): return unet.inChannels == 4 ? "" : "\(unet.inChannels) input channels"
            case (384, 1280, 2560?): return "refiner"
            default: return nil
            }
        },
        latentFormat: .sdxl,
        sampling: .discrete(vPrediction: false),
        textEncoders: [.init(node: "DualCLIPLoader", type: "sdxl", encoders: [.clipL, .clipG]),
                       .init(node: "CLIPLoader", type: "stable_diffusion", encoders: [.clipG])],
        conditioning: sdxlConditioning,
        loaders: nil)

    /// model_base.SDXL.extra_conds: `c_crossattn` as BaseModel's, and `y` (encode_adm) = the pooled
    /// output followed by the Timestep(256) embeddings of height, width, crop_h, crop_w, target
    /// height and target width ([B, 1280 + 6 * 256]). Width and height are the latent's * 8
    /// (encode_model_conds) as long as CONDITIONING carries no size (CLIPTextEncodeSDXL's); crops 0.
    static let sdxlConditioning: @Sendable (ConditioningValue.Entry, ConditioningSite) throws -> ModelConditioning = { entry, site in
        guard let pooled = entry.pooled else { throw MissingModelInput(key: "pooled_output", present: ["cond"]) }
        let sizes = [site.height, site.width, 0, 0, site.height, site.width].map(Float.init)
        let flat = timestepEmbedding(Tensor(shape: [6], scalars: sizes), dim: 256).reshaped([1, 6 * 256])
        let y = concat([pooled, concat(Array(repeating: flat, count: pooled.shape[0]), axis: 0)], axis: 1)
        return ModelConditioning([.crossAttention: .crossAttention(entry.cond), .y: .regular(y)])
    }
}

extension LatentFormat {
    /// latent_formats.SDXL.
    public static let sdxl = LatentFormat(channels: 4, scaleFactor: 0.13025, rgbFactors: [
        [0.3651, 0.4232, 0.4341],
        [-0.2533, -0.0042, 0.1068],
        [0.1076, 0.1111, -0.0362],
        [-0.3165, -0.2492, -0.2188],
    ], rgbFactorsBias: [0.1084, -0.0175, -0.0011])
}
