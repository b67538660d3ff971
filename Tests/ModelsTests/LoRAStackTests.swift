import Models
import TensorCore
import Testing

/// LoraLoader / LoraLoaderModelOnly semantics. Oracle: ComfyUI 0.8.0 nodes.py (both strengths 0:
/// inputs returned, file not opened) and comfy/sd.py load_lora_for_models (patches split between
/// MODEL and CLIP). Exact.
struct LoRAStackTests {
    struct Opened: Error {}

    @Test func bothStrengthsZeroReturnTheInputsWithoutOpeningTheFile() throws {
        let (unet, clip) = LoRAFixtures.targets
        let out = try LoRALoading.apply(try { throw Opened() }(), model: (unet, LoRAStack()), strengthModel: 0,
                                        clip: (clip, LoRAStack()), strengthClip: 0)
        #expect(out.model.isEmpty && out.clip?.isEmpty == true && out.match == nil)
    }

    @Test func loraLoaderSplitsPatchesBetweenModelAndCLIP() throws {
        let (unet, clip) = LoRAFixtures.targets
        let lora = try LoRAFixtures.file("kohya")
        let first = try LoRALoading.apply(lora, model: (unet, LoRAStack()), strengthModel: 0.7,
                                          clip: (clip, LoRAStack()), strengthClip: 0)
        #expect(first.model.entries.map(\.patches.count) == [192])
        #expect(first.clip?.isEmpty == true)   // strength 0 on one side changes nothing there
        let chained = try LoRALoading.apply(try LoRAFixtures.file("te-only"), model: (unet, first.model),
                                            strengthModel: 1, clip: (clip, first.clip ?? LoRAStack()), strengthClip: -1.3)
        #expect(chained.model.entries.map(\.file) == ["fixture-kohya.safetensors"])  // te-only: nothing for the UNet
        #expect(chained.clip?.entries.map(\.strength) == [-1.3])
        #expect(chained.match?.summary == "LoRA fixture-te-only.safetensors: 72 weights patched (0 + 72), 0 of 216 tensors not loaded")
    }

    @Test func loraLoaderModelOnlyIgnoresTextEncoderTensors() throws {
        let lora = try LoRAFixtures.file("kohya")
        let out = try LoRALoading.apply(lora, model: (LoRAFixtures.targets.unet, LoRAStack()), strengthModel: 1,
                                        clip: nil, strengthClip: 0)
        #expect(out.clip == nil)
        #expect(out.model.entries.first?.patches.count == 192)
        #expect(out.match?.notLoaded.count == 72 * 3)   // lora_te_* up/down/alpha have no target here
    }

    /// The build-time patch function gives the same weights as the in-place patcher (before the
    /// text encoder's fp16 rounding, which the loader does), and passes untouched keys through.
    @Test func buildTimePatchEqualsThePatcher() throws {
        let (unet, clip) = LoRAFixtures.targets
        let out = try LoRALoading.apply(try LoRAFixtures.file("dora"), model: (unet, LoRAStack()), strengthModel: 0.7,
                                        clip: (clip, LoRAStack()), strengthClip: 1.3)
        let key = "model.diffusion_model.input_blocks.1.1.proj_in.weight"
        let base = Tensor(shape: [320, 320, 1, 1], scalars: (0..<102_400).map { Float($0 % 97) * 1e-3 - 0.05 })
        let model = WeightDictionary([key: base])
        try LoRAPatcher(model: model, target: unet).apply(out.model.patchList)
        #expect(try out.model.patch(key, base).scalars == model.weight(key)?.scalars)
        #expect(try out.model.patch(key, base).scalars != base.scalars)
        #expect(try out.model.patch("model.diffusion_model.out.2.weight", base).scalars == base.scalars)
    }

    /// Applying the same stack twice patches once; another strength re-patches from the originals.
    @Test func patcherSkipsAnUnchangedStack() throws {
        let (unet, clip) = LoRAFixtures.targets
        let key = "model.diffusion_model.input_blocks.1.1.proj_in.weight"
        let base = Tensor(shape: [320, 320, 1, 1], repeating: 0.01)
        let model = WeightDictionary([key: base])
        let patcher = LoRAPatcher(model: model, target: unet)
        let lora = try LoRAFixtures.file("kohya")
        let stack = try LoRALoading.apply(lora, model: (unet, LoRAStack()), strengthModel: 0.7,
                                          clip: (clip, LoRAStack()), strengthClip: 0).model
        try patcher.apply(stack)
        let first = try #require(model.weight(key))
        model.setWeight(key, to: base)          // had the patcher re-run, this would be overwritten
        try patcher.apply(stack)
        #expect(model.weight(key)?.scalars == base.scalars)
        let stronger = try LoRALoading.apply(lora, model: (unet, LoRAStack()), strengthModel: 1,
                                             clip: nil, strengthClip: 0).model
        try patcher.apply(stronger)
        try patcher.apply(stack)
        #expect(model.weight(key)?.scalars == first.scalars)
    }
}
