// Matches ComfyUI 0.8.0 comfy/supported_models.py SD15 (unet_config: context_dim 768,
// model_channels 320, conv projections, no adm; latent_formats.SD15; EPS + ModelSamplingDiscrete;
// sd1_clip CLIP-L), model_base.BaseModel.extra_conds (c_crossattn only) and its loaders in sd.py.
import Foundation
import Models
import TensorCore

extension ModelFamily {
    /// SD1.x: the family SwiftComfy runs.
    public static let sd15 = ModelFamily(
        name: "SD1.x",
        detect: { probe in
            guard let unet = probe.unet, unet.inChannels == 4, SD15Architecture.mismatch(unet, probe.index) == nil else { return nil }
            return ""
        },
        latentFormat: .sd15,
        sampling: .discrete(vPrediction: false),
        textEncoders: [.init(node: "CLIPLoader", type: "stable_diffusion", encoders: [.clipL])],
        conditioning: baseModelConditioning,
        loaders: .init(checkpoint: SD15Loading.checkpoint, diffusionModel: SD15Loading.diffusionModel,
                       textEncoder: SD15Loading.textEncoder))

    /// SD1.x UNets with more input channels (inpainting: 9, instruct-pix2pix: 8): ComfyUI runs them
    /// with extra concat inputs (BaseModel.set_inpaint, IP2P), which SwiftComfy does not have yet.
    public static let sd15Variants = ModelFamily(
        name: "SD1.x inpainting",
        detect: { probe in
            guard let unet = probe.unet, unet.inChannels != 4, SD15Architecture.mismatch(unet, probe.index) == nil else { return nil }
            return unet.inChannels == 8 ? "instruct-pix2pix: 8 input channels" : "\(unet.inChannels) input channels"
        },
        latentFormat: .sd15, sampling: .discrete(vPrediction: false), textEncoders: [],
        conditioning: nil, loaders: nil)

    /// BaseModel.extra_conds without adm or concat inputs: the entry's `cond` as `c_crossattn` (SD1.x, SD2.x).
    static let baseModelConditioning: @Sendable (ConditioningValue.Entry, ConditioningSite) throws -> ModelConditioning = { entry, _ in
        ModelConditioning([.crossAttention: .crossAttention(entry.cond)])
    }
}

extension LatentFormat {
    /// latent_formats.SD15 (also SD2.x's).
    public static let sd15 = LatentFormat(channels: 4, scaleFactor: 0.18215, rgbFactors: [
        [0.3512, 0.2297, 0.3227],
        [0.3250, 0.4974, 0.2350],
        [-0.2829, 0.1762, 0.2721],
        [-0.2120, -0.2616, -0.7177],
    ])
}
