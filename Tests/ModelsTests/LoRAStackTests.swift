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

    /// The stack's patch list is what the model patches with: the kohya deltas at 0.7, untouched
    /// keys left out; another strength makes another stack and other weights.
    @Test func stackPatchListPatchesItsKeysOnly() throws {
        let (unet, clip) = LoRAFixtures.targets
        let lora = try LoRAFixtures.file("kohya")
        let stack = try LoRALoading.apply(lora, model: (unet, LoRAStack()), strengthModel: 0.7,
                                          clip: (clip, LoRAStack()), strengthClip: 0).model
        let key = "model.diffusion_model.input_blocks.1.1.proj_in.weight"
        let base = Tensor(shape: [320, 320, 1, 1], scalars: (0..<102_400).map { Float($0 % 97) * 1e-3 - 0.05 })
        let first = try LoRAPatcher.patchedTensor(key, base, stack.patchList)
        #expect(first.scalars != base.scalars)
        let untouched = "model.diffusion_model.out.2.weight"
        #expect(try LoRAPatcher.patchedTensor(untouched, base, stack.patchList).scalars == base.scalars)
        let stronger = try LoRALoading.apply(lora, model: (unet, LoRAStack()), strengthModel: 1,
                                             clip: nil, strengthClip: 0).model
        #expect(stronger.signature != stack.signature)
        #expect(try LoRAPatcher.patchedTensor(key, base, stronger.patchList).scalars != first.scalars)
        #expect(try LoRAPatcher.patchedTensor(key, base, stack.patchList).scalars == first.scalars)
    }
}
