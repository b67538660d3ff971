import Checkpoint
import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// Oracle: ../shared/reference/expected/flux/lora.safetensors (part 5), ComfyUI 0.8.0's LoRA patch of
/// the fp8 Flux fixture with `weight_dtype` fp8_e4m3fn: its fp32 result before storing and the fp8
/// weight it stores (stochastic_rounding seeded with string_to_seed(key)), first 8 rows of each
/// weight; and the seed the reference script computed for its key. Exact.
@Suite struct LoRAFloat8Tests {
    @Test func seedIsComfyUIsStringToSeed() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/reference/fp8_stochastic_rounding.json")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let key = try #require(reference["key"] as? String), seed = try #require(reference["seed"] as? Int)
        #expect(LoRAPatcher.seed(forKey: key) == UInt64(seed))
    }

    /// The first rows of a weight's draws are the first draws of the whole weight (one per element,
    /// in order), so rows 0..<8 patched alone equal ComfyUI's stored rows. The patch here is a full
    /// difference (ComfyUI's fp32 result onto a zero fp8 weight at strength 1, exact), so what is
    /// pinned is the write-back: `.stored` precision, fp8 kept, seeded by the key.
    @Test func patchedFloat8WeightsMatchComfyUI() throws {
        let tensors = try Reference.tensors("flux/lora.safetensors")
        let prefix = "weight_dtype=fp8_e4m3fn/"
        let keys = tensors.keys.filter { $0.hasPrefix(prefix) && $0.hasSuffix("/patched_f32_before_rounding_rows") }.sorted()
        #expect(keys.count == 10)
        for refKey in keys {
            let stem = String(refKey.dropLast("/patched_f32_before_rounding_rows".count))
            let modelKey = String(stem.split(separator: "/", maxSplits: 2)[2])
            let f32 = try #require(tensors[refKey])
            let expected = try #require(tensors[stem + "/patched_rows"])
            let zero = StoredTensor(stochasticallyRounding: Tensor(shape: f32.shape, repeating: 0), to: .f8e4m3fn, seed: 0)
            let delta = LoRADelta(product: .full(f32), alpha: nil, doraScale: nil)
            let patched = try LoRAPatcher.patchedWeights([([modelKey: delta], 1.0)], precision: .stored) { _ in zero }
            let ours = try #require(patched[modelKey])
            #expect(ours.dtype == .f8e4m3fn && !ours.isMapped)
            let differing = zip(ours.scalars, expected.scalars).filter { $0.0.bitPattern != $0.1.bitPattern }.count
            #expect(differing == 0, "\(modelKey): \(differing) of \(expected.count) differ")
        }
    }
}
