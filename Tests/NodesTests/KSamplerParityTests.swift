import Execution
import Models
import Nodes
import TensorCore
import Testing
import TestSupport
import Workflow

/// KSampler on the SD1.5 fixture UNet against ComfyUI 0.8.0 (../shared/reference/expected).
/// The UNet alone matches ComfyUI's eps within ~4e-6 (ModelsTests/UNetTests); these tests check
/// what KSampler adds: c_in, timestep, denoised = x - eps·σ, the [uncond, cond] batch, CFG, the
/// noise, the sampler loop and the latent format.
@Suite(.serialized) struct KSamplerParityTests {
    static func r(_ key: String) throws -> Tensor { try Reference.tensor("unet.safetensors", key) }

    static func entry(_ file: String, _ prefix: String) throws -> ConditioningValue {
        ConditioningValue([.init(cond: try Reference.tensor(file, "\(prefix)/cond"),
                                 pooled: try Reference.tensor(file, "\(prefix)/pooled_output"))])
    }

    /// Oracle: expected/unet.safetensors `<point>/base/denoised_cfg` (one CFGGuider call, cfg 8,
    /// positive/negative of part 5). Tolerance 2e-5 · max|e|: eps is off by up to ~4e-6, multiplied
    /// by σ (14.6 at the first step) and by cfg 8 in the CFG sum. Measured: first_step 5.2e-4 on
    /// values up to 88 (5.9e-6 of max), mid_step 4.4e-5 up to 13 (3.3e-6).
    @Test(arguments: ["first_step", "mid_step"])
    func denoiserMatchesOneComfyUIStep(_ point: String) throws {
        let model = try SD15TestModel.fixture.get()
        let denoiser = try CFGDenoiser(model: model, positive: Self.entry("unet.safetensors", "positive"),
                                       negative: Self.entry("unet.safetensors", "negative"), cfg: 8)
        let sigma = try Self.r("\(point)/sigma").scalars[0]
        let out = try denoiser.denoise(try Self.r("\(point)/x"), sigma: sigma)
        let expected = try Self.r("\(point)/base/denoised_cfg")
        print("KSampler parity \(point): denoised_cfg \(summary(out, expected))")
        let scale = expected.scalars.map(abs).max() ?? 1
        #expect(closeness(out, expected, relative: 0, absolute: 2e-5 * scale) == nil)
    }

    /// Every point and variant of expected/unet.json (today base and kohya_lora, the latter
    /// LoraLoaderModelOnly(<lora.file>, <lora.strength_model>) as ComfyUI ran it): the CFG output
    /// `denoised_cfg` at the json's cfg and each branch's `<branch>/denoised` (x - eps·σ; cfg 1
    /// evaluates the one branch only). A variant the test does not know, or an empty list, fails.
    /// Tolerance 2e-5 · max|e| as the base test above, for the same reasons. Measured (max |diff|,
    /// relative to max|e|): first_step base cfg 4.9e-4 (5.6e-6), branches <= 5.2e-5 (9.9e-7);
    /// first_step kohya_lora cfg 3.4e-4 (3.9e-6), branches <= 4.8e-5 (8.7e-7); mid_step cfg
    /// <= 3.9e-5 (2.9e-6), branches <= 4.4e-6 (3.7e-7), both variants.
    @Test func everyUNetReferenceVariantMatchesOneComfyUIStep() throws {
        let meta = try #require(try Reference.json("unet.json") as? [String: Any])
        let cfg = try #require(meta["cfg"] as? Double)
        let lora = try #require(meta["lora"] as? [String: Any])
        let points = try #require(meta["points"] as? [[String: Any]])
        #expect(points.count >= 2, "unet.json lists \(points.count) points")
        let positive = try Self.entry("unet.safetensors", "positive"), negative = try Self.entry("unet.safetensors", "negative")
        var models: [String: any DiffusionModel] = [:]
        func model(_ variant: String) throws -> any DiffusionModel {
            if let hit = models[variant] { return hit }
            let (base, _, _) = try SD15Nodes.checkpoint()
            let made: any DiffusionModel
            switch variant {
            case "base": made = base.model
            case "kohya_lora":
                #expect(lora["node"] as? String == "LoraLoaderModelOnly")
                let out = try SD15Nodes.run(LoraLoaderModelOnly.self, [
                    "model": base, "lora_name": JSONValue.string(try #require(lora["file"] as? String)),
                    "strength_model": JSONValue.double(try #require(lora["strength_model"] as? Double))])
                made = try #require(out[0] as? ModelValue).model
            default: throw SD15Nodes.Unexpected(what: "unet.json variant '\(variant)' has no model in this test")
            }
            models[variant] = made
            return made
        }
        var compared = 0
        for point in points {
            let name = try #require(point["name"] as? String)
            let variants = try #require(point["variants"] as? [String: Any])
            #expect(!variants.isEmpty, "\(name) has no variants")
            let x = try Self.r(try #require(point["x_key"] as? String))
            let sigma = try Self.r(try #require(point["sigma_key"] as? String)).scalars[0]
            for variant in variants.keys.sorted() {
                let info = try #require(variants[variant] as? [String: Any])
                let prefix = try #require(info["prefix"] as? String)
                #expect(info["batch_order"] as? [String] == ["uncond", "cond"])
                let m = try model(variant)
                var checks: [(String, Tensor)] = [
                    ("denoised_cfg", try CFGDenoiser(model: m, positive: positive, negative: negative, cfg: cfg).denoise(x, sigma: sigma))]
                for (branch, entry) in [("uncond", negative), ("cond", positive)] {
                    checks.append(("\(branch)/denoised", try CFGDenoiser(model: m, positive: entry, negative: entry, cfg: 1).denoise(x, sigma: sigma)))
                }
                for (key, out) in checks {
                    let expected = try Self.r(prefix + key)
                    print("KSampler parity \(prefix)\(key): \(summary(out, expected))")
                    let scale = expected.scalars.map(abs).max() ?? 1
                    #expect(closeness(out, expected, relative: 0, absolute: 2e-5 * scale) == nil, "\(prefix)\(key)")
                    compared += 1
                }
            }
        }
        #expect(compared >= 12, "compared \(compared) tensors")
    }

    /// Oracle: expected/e2e/lora_strength_0.latent (server run: LoraLoader at strength 0/0 returns
    /// the checkpoint's MODEL and CLIP, so this is KSampler on the base model; euler, normal,
    /// 6 steps, cfg 8, seed 1234, EmptyLatentImage 64x64), conditionings from clip.safetensors
    /// (the same prompts, no LoRA). Output in VAE space (divided by 0.18215), values up to 371.
    /// Tolerance 2e-5 · max|e|: the per-step UNet rounding (~3e-6 relative) carried through 6
    /// steps and CFG 8. Measured: max |diff| 2.0e-3 (5.5e-6 of max), far below a visible pixel change.
    @Test func ksamplerReproducesTheLoRAStrengthZeroLatent() throws {
        let model = try SD15TestModel.fixture.get()
        let events = EventLog()
        let values = KSamplerHarness.ksampler(
            model: model, positive: try Self.entry("clip.safetensors", "seed_positive"),
            negative: try Self.entry("clip.safetensors", "seed_negative"),
            latent: LatentValue(samples: Tensor.zeros([1, 4, 8, 8])), ["steps": .constant(6)])
        let out = try KSamplerHarness.run(KSampler.self, values, observer: events.observe)
        let expected = try Reference.tensor("e2e/lora_strength_0.latent", "latent_tensor")
        print("KSampler parity lora_strength_0: latent \(summary(out.samples, expected))")
        let scale = expected.scalars.map(abs).max() ?? 1
        #expect(closeness(out.samples, expected, relative: 0, absolute: 2e-5 * scale) == nil)
        #expect(events.progress == (1...6).map { ProgressEvent(value: $0, max: 6) })
    }
}

/// "max |diff| d (max |e| s, relative d/s)" for the parity messages.
func summary(_ a: Tensor, _ e: Tensor) -> String {
    let x = a.scalars, y = e.scalars
    var d: Float = 0, s: Float = 0
    for i in 0..<min(x.count, y.count) { d = max(d, abs(x[i] - y[i])); s = max(s, abs(y[i])) }
    return "max |diff| \(d) (max |e| \(s), relative \(d / max(s, .leastNormalMagnitude)))"
}
