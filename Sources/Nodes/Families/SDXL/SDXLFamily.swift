// Matches ComfyUI 0.8.0 comfy/supported_models.py SDXL / SDXLRefiner (context_dim 2048 / 1280,
// adm_in_channels 2816 / 2560; latent_formats.SDXL; CLIP-L + CLIP-G), recognised, not run.
import Models

extension ModelFamily {
    /// SDXL. Its extra_conds (model_base.SDXL.encode_adm: `y` = pooled output + Timestep(256)
    /// embeddings of height, width, crop_h, crop_w, target height and width) is not written yet.
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
        conditioning: nil,
        loaders: nil)
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
