// Matches ComfyUI 0.8.0 comfy/supported_models.py SD3 (the MMDiT, joint_blocks.*; latent_formats.SD3;
// ModelSamplingDiscreteFlow shift 3 + CONST; CLIP-L / CLIP-G / T5-XXL) and model_base.SD3.extra_conds
// (c_crossattn and y as CONDRegular), recognised, not run.
import Models
import TensorCore

extension ModelFamily {
    public static let sd3 = ModelFamily(
        name: "SD3",
        detect: { probe in probe.has("joint_blocks.0.context_block.attn.qkv.weight") ? "" : nil },
        latentFormat: .sd3,
        sampling: .discreteFlow(shift: 3, multiplier: 1000),
        textEncoders: [
            .init(node: "DualCLIPLoader", type: "sd3", encoders: [.clipL, .clipG]),
            .init(node: "DualCLIPLoader", type: "sd3", encoders: [.clipL, .t5XXL]),
            .init(node: "DualCLIPLoader", type: "sd3", encoders: [.clipG, .t5XXL]),
            .init(node: "CLIPLoader", type: "sd3", encoders: [.clipL]),
            .init(node: "CLIPLoader", type: "sd3", encoders: [.clipG]),
            .init(node: "CLIPLoader", type: "sd3", encoders: [.t5XXL]),
        ],
        conditioning: { entry, _ in
            guard let pooled = entry.pooled else { throw MissingModelInput(key: "pooled_output", present: ["cond"]) }
            return ModelConditioning([.crossAttention: .regular(entry.cond), .y: .regular(pooled)])
        },
        loaders: nil)
}

extension LatentFormat {
    /// latent_formats.SD3.
    public static let sd3 = LatentFormat(channels: 16, scaleFactor: 1.5305, shiftFactor: 0.0609, rgbFactors: [
        [-0.0922, -0.0175, 0.0749], [0.0311, 0.0633, 0.0954], [0.1994, 0.0927, 0.0458], [0.0856, 0.0339, 0.0902],
        [0.0587, 0.0272, -0.0496], [-0.0006, 0.1104, 0.0309], [0.0978, 0.0306, 0.0427], [-0.0042, 0.1038, 0.1358],
        [-0.0194, 0.0020, 0.0669], [-0.0488, 0.0130, -0.0268], [0.0922, 0.0988, 0.0951], [-0.0278, 0.0524, -0.0542],
        [0.0332, 0.0456, 0.0895], [-0.0069, -0.0030, -0.0810], [-0.0596, -0.0465, -0.0293], [-0.1448, -0.1463, -0.1189],
    ], rgbFactorsBias: [0.2394, 0.2135, 0.1925])
}
