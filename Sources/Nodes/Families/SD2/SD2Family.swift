// Matches ComfyUI 0.8.0 comfy/supported_models.py SD20 / SD21UnclipL / SD21UnclipH (context_dim
// 1024, linear projections, 64-wide heads; latent_formats.SD15; CLIP-H), recognised, not run.
import Models

extension ModelFamily {
    /// SD2.x. ComfyUI picks EPS or V_PREDICTION per file from a weight's spread (SD20.model_type),
    /// which reads data; 768-v files are v-prediction.
    public static let sd2 = ModelFamily(
        name: "SD2.x",
        detect: { probe in
            guard let unet = probe.unet, unet.contextDim == 1024, unet.linearProjection, unet.modelChannels == 320 else { return nil }
            switch probe.admChannels {
            case nil: return unet.inChannels == 4 ? "" : "\(unet.inChannels) input channels"
            case 1536?, 2048?: return "unCLIP"
            default: return nil
            }
        },
        latentFormat: .sd15,
        sampling: .discrete(vPrediction: true),
        textEncoders: [.init(node: "CLIPLoader", type: "stable_diffusion", encoders: [.clipH])],
        conditioning: baseModelConditioning,
        loaders: nil)
}
