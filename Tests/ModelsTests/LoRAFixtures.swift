import Fixtures
import Foundation
import Checkpoint
import Models
import TensorCore
import TestSupport

/// The LoRA fixture files (../shared/reference/make_fixtures.py lora KIND) and the SD1.5 key space
/// they are resolved against, plus the reference's key spellings mapped to SwiftComfy's.
enum LoRAFixtures {
    static let kinds = ["kohya", "locon", "loha", "lokr", "peft", "dora", "te-only"]

    /// `fixture-<kind>.safetensors`, generated once by `FixtureGenerator` (the Swift port of
    /// make_fixtures.py, byte-identical) into `$SWIFTCOMFY_LORA_FIXTURES` or a temporary cache.
    static func url(_ kind: String) throws -> URL {
        let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment["SWIFTCOMFY_LORA_FIXTURES"]
            ?? NSTemporaryDirectory() + "swiftcomfy-lora-fixtures")
        let url = dir.appendingPathComponent("fixture-\(kind).safetensors")
        lock.lock(); defer { lock.unlock() }
        if !FileManager.default.fileExists(atPath: url.path) {
            guard let fixture = LoRAFixtureKind(rawValue: kind) else { throw CocoaError(.fileNoSuchFile) }
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let partial = dir.appendingPathComponent("\(UUID().uuidString).partial")
            try FixtureGenerator.lora(fixture, to: partial)
            try? FileManager.default.moveItem(at: partial, to: url)   // another process may have won
            try? FileManager.default.removeItem(at: partial)
        }
        return url
    }

    private static let lock = NSLock()

    static func file(_ kind: String) throws -> LoRAFile {
        try LoRAFile(url: url(kind), name: "fixture-\(kind).safetensors")
    }

    /// SD1.5 shapes from sd15_layout.json, split into the UNet and the text encoder, the text
    /// encoder renamed to the canonical `cond_stage_model.transformer.text_model.` spelling.
    static let targets: (unet: LoRATarget, clip: LoRATarget) = {
        let url = SharedKit.reference.appendingPathComponent("sd15_layout.json")
        let layout = (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: [Int]] ?? [:]
        var unet: [String: [Int]] = [:], clip: [String: [Int]] = [:]
        let old = "cond_stage_model.transformer."
        for (key, shape) in layout {
            if key.hasPrefix("model.diffusion_model.") { unet[key] = shape }
            if key.hasPrefix(old) { clip[old + "text_model." + key.dropFirst(old.count)] = shape }
        }
        return (LoRATarget(shapes: unet), LoRATarget(shapes: clip))
    }()

    /// ComfyUI's in-memory key (`diffusion_model.X`, `clip_l.transformer.text_model.X`) -> SwiftComfy's.
    static func canonical(_ comfyKey: String) -> String {
        if comfyKey.hasPrefix("diffusion_model.") { return "model." + comfyKey }
        return "cond_stage_model." + comfyKey.dropFirst("clip_l.".count)
    }

    /// expected/lora.json.
    static let manifest: [String: Any] = (try? Reference.json("lora.json")) as? [String: Any] ?? [:]

    static func kind(_ kind: String) -> [String: Any] {
        ((manifest["kinds"] as? [String: Any])?[kind] as? [String: Any]) ?? [:]
    }

    /// Full shape of a stored reference key (ComfyUI spelling).
    static func fullShape(_ comfyKey: String) -> [Int] {
        (((manifest["keys"] as? [String: Any])?[comfyKey] as? [String: Any])?["full_shape"] as? [Int]) ?? []
    }

    /// A weight of `shape` whose first rows are `rows` and the rest zero (rows are independent
    /// under every LoRA kind; DoRA's norm is per row).
    static func padded(_ rows: Tensor, to shape: [Int]) -> Tensor {
        var w = Tensor.zeros(shape)
        w.withUnsafeMutableBufferPointer { dst in rows.withUnsafeBufferPointer { src in
            for i in src.indices { dst[i] = src[i] }
        } }
        return w
    }

    /// The first `n` rows of `t`.
    static func rows(_ t: Tensor, _ n: Int) -> Tensor {
        Tensor(shape: [n] + t.shape.dropFirst(), scalars: Array(t.scalars.prefix(n * t.count / t.shape[0])))
    }
}

extension LoRAPatcher {
    /// `base` (Float32 values) after `patches`, stored as `precision` holds it and widened back:
    /// the one-weight form of `patchedWeights`.
    static func patchedTensor(_ key: String, _ base: Tensor, _ patches: [(patches: LoRAPatches, strength: Double)],
                              precision: WeightPrecision = .float32) throws -> Tensor {
        let out = try patchedWeights(patches, precision: precision) { $0 == key ? StoredTensor(base, as: .f32) : nil }
        return out[key]?.float32() ?? base
    }
}
