import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// Re-running, chaining and strength 0. Oracle: the base weights themselves (restores must be
/// bit-identical) and the patcher's own first run (re-runs must be bit-identical to it). Exact.
@Suite(.serialized) struct LoRAPatcherTests {
    /// The 24 smallest UNet weights the kohya fixture touches, with index-based values, one weight
    /// no LoRA touches, and the kohya deltas.
    static func kohyaModel() throws -> (WeightDictionary, LoRAPatcher, LoRAPatches) {
        let lora = try LoRAFixtures.file("kohya")
        let target = LoRAFixtures.targets.unet
        let patches = lora.resolve(against: [target]).patches[0]
        var weights: [String: Tensor] = [:]
        let smallest = patches.keys.sorted().sorted { (target.shapes[$0] ?? []).reduce(1, *) < (target.shapes[$1] ?? []).reduce(1, *) }
        for key in smallest.prefix(24) {
            let shape = try #require(target.shapes[key])
            let n = shape.reduce(1, *)
            weights[key] = Tensor(shape: shape, scalars: (0..<n).map { Float(($0 * 7919) % 1000) * 1e-4 - 0.05 })
        }
        // One weight no LoRA touches, which must stay shared and untouched.
        weights["model.diffusion_model.out.2.weight"] = Tensor(shape: [4, 320, 3, 3], repeating: 0.25)
        let model = WeightDictionary(weights)
        return (model, LoRAPatcher(model: model, target: target), patches)
    }

    @Test func reapplyingWithAnotherStrengthNeverCompounds() throws {
        let (model, patcher, patches) = try Self.kohyaModel()
        let base = model.weights
        try patcher.apply([(patches, 0.7)])
        let first = model.weights
        try patcher.apply([(patches, 1.0)])
        let second = model.weights
        try patcher.apply([(patches, 0.7)])
        let third = model.weights
        #expect(first.keys.sorted() == third.keys.sorted())
        for (key, w) in first where key != "model.diffusion_model.out.2.weight" {
            #expect(w.scalars == third[key]?.scalars, "\(key) differs between the two 0.7 runs")
            #expect(w.scalars != second[key]?.scalars, "\(key) did not change with the strength")
            #expect(w.scalars != base[key]?.scalars, "\(key) was not patched")
        }
        #expect(patcher.patchedKeys.count == 24)
        patcher.restore()
        for (key, w) in base { #expect(model.weights[key]?.scalars == w.scalars, "\(key) not restored") }
        #expect(patcher.patchedKeys.isEmpty && patcher.backupBytes == 0)
    }

    /// Memory stays flat over 20 re-runs: the backup store holds exactly one original per patched
    /// weight after every run, and the model holds one patched tensor per key (no chain of copies).
    @Test func memoryStaysFlatOverTwentyReruns() throws {
        let (model, patcher, patches) = try Self.kohyaModel()
        let patchedBytes = model.weights.filter { patches[$0.key] != nil }.values.reduce(0) { $0 + $1.count * 4 }
        try patcher.apply([(patches, 0.7)])
        #expect(patcher.backupBytes == patchedBytes)
        for run in 0..<20 {
            try patcher.apply([(patches, run % 2 == 0 ? 1.0 : 0.7)])
            #expect(patcher.backupBytes == patchedBytes)
            #expect(model.weights.count == 25)
        }
    }

    @Test func strengthZeroLeavesTheWeightsAsTheyAre() throws {
        let (model, patcher, patches) = try Self.kohyaModel()
        let base = model.weights
        try patcher.apply([(patches, 0)])
        for (key, w) in base { #expect(model.weights[key]?.scalars == w.scalars) }
        #expect(patcher.patchedKeys.isEmpty)
        // After a real patch, strength 0 puts the originals back.
        try patcher.apply([(patches, 0.8)])
        try patcher.apply([(patches, 0)])
        for (key, w) in base { #expect(model.weights[key]?.scalars == w.scalars) }
    }

    /// Two LoRAs chained apply in order on top of each other (ComfyUI calculate_weight over the
    /// patch list): same as applying the first, then the second to its result.
    @Test func chainedLoRAsApplyInOrder() throws {
        let (model, patcher, patches) = try Self.kohyaModel()
        let loha = try LoRAFixtures.file("loha").resolve(against: [LoRAFixtures.targets.unet]).patches[0]
        let key = try #require(model.weights.keys.filter { patches[$0] != nil && loha[$0] != nil }.sorted().first)
        let base = try #require(model.weight(key))
        try patcher.apply([(patches, 0.7), (loha, -0.5)])
        let chained = try #require(model.weight(key))
        let byHand = try #require(loha[key]).apply(to: try #require(patches[key]).apply(to: base, strength: 0.7), strength: -0.5)
        #expect(chained.scalars == byHand.scalars)
        #expect(chained.scalars != base.scalars)
    }

    @Test func untouchedWeightsAreShared() throws {
        let (model, patcher, patches) = try Self.kohyaModel()
        let other = "model.diffusion_model.out.2.weight"
        try patcher.apply([(patches, 0.7)])
        #expect(!patcher.patchedKeys.contains(other))
        #expect(patcher.backupBytes == model.weights.filter { $0.key != other }.values.reduce(0) { $0 + $1.count * 4 })
    }

    /// A delta whose product does not fit (checked only when computed, like LoKr's kron) leaves the
    /// weight as it was, as ComfyUI's calculate_weight does after logging the error.
    @Test func deltaThatDoesNotFitLeavesTheWeight() throws {
        let key = "model.diffusion_model.input_blocks.1.1.proj_in.weight"
        let base = Tensor(shape: [4, 4], repeating: 0.5)
        let model = WeightDictionary([key: base])
        let lokr = LoRADelta(product: .kronecker(.full(.ones([3, 3])), .full(.ones([2, 2]))), alpha: nil, doraScale: nil)
        let patcher = LoRAPatcher(model: model, target: LoRATarget(shapes: [key: [4, 4]]))
        try patcher.apply([([key: lokr], 1.0)])
        #expect(model.weight(key)?.scalars == base.scalars)
    }
}
