import Execution

/// The one list of nodes SwiftComfy runs. Everything else ComfyUI knows (its catalogue) validates as
/// "a ComfyUI node SwiftComfy does not run yet".
public enum Registry {
    public static let nodes: [any NodeDefinition.Type] = [
        // Loaders
        CheckpointLoaderSimple.self, LoraLoader.self, LoraLoaderModelOnly.self, VAELoader.self,
        UNETLoader.self, CLIPLoader.self, DualCLIPLoader.self,
        // Conditioning
        CLIPTextEncode.self, CLIPSetLastLayer.self, ConditioningCombine.self, ConditioningZeroOut.self,
        FluxGuidance.self,
        // Sampling
        KSampler.self, KSamplerAdvanced.self,
        // Latent
        EmptyLatentImage.self, EmptySD3LatentImage.self, VAEDecode.self, VAEEncode.self,
        LatentUpscale.self, LatentUpscaleBy.self, SaveLatent.self, LoadLatent.self,
        // Image
        SaveImage.self, PreviewImage.self, LoadImage.self, ImageScale.self,
    ]

    public static let standard = NodeRegistry(nodes)
}
