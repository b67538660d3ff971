import Checkpoint
import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// Re-running, chaining and strength 0 on held weights. Oracle: the base weights themselves (un-patching
/// restores the stored bytes: the overlay is dropped, nothing is subtracted) and the patcher's own
/// first run (re-runs must be bit-identical to it). Exact.
@Suite(.serialized) struct LoRAPatcherTests {
    static let untouched = "model.diffusion_model.out.2.weight"

    /// The 24 smallest UNet weights the kohya fixture touches, with index-based values, one weight
    /// no LoRA touches, and the kohya deltas.
    static func kohyaModel() throws -> (HeldWeights, LoRAPatches) {
        let lora = try LoRAFixtures.file("kohya")
        let target = LoRAFixtures.targets.unet
        let patches = lora.resolve(against: [target]).patches[0]
        var weights: [String: StoredTensor] = [:]
        let smallest = patches.keys.sorted().sorted { (target.shapes[$0] ?? []).reduce(1, *) < (target.shapes[$1] ?? []).reduce(1, *) }
        for key in smallest.prefix(24) {
            let shape = try #require(target.shapes[key])
            let n = shape.reduce(1, *)
            weights[key] = StoredTensor(Tensor(shape: shape, scalars: (0..<n).map { Float(($0 * 7919) % 1000) * 1e-4 - 0.05 }), as: .f32)
        }
        // One weight no LoRA touches, which must stay shared and untouched.
        weights[untouched] = StoredTensor(Tensor(shape: [4, 320, 3, 3], repeating: 0.25), as: .f32)
        return (HeldWeights(file: "kohya-model", tensors: weights), patches)
    }

    static func patched(_ base: HeldWeights, _ patches: [(patches: LoRAPatches, strength: Double)]) throws -> HeldWeights {
        base.overlaid(with: try LoRAPatcher.patchedWeights(patches, precision: .float32) { base.tensors[$0] })
    }

    @Test func reapplyingWithAnotherStrengthNeverCompounds() throws {
        let (base, patches) = try Self.kohyaModel()
        let baseValues = base.tensors.mapValues(\.scalars)
        let first = try Self.patched(base, [(patches, 0.7)])
        let second = try Self.patched(base, [(patches, 1.0)])
        let third = try Self.patched(base, [(patches, 0.7)])
        #expect(first.tensors.keys.sorted() == third.tensors.keys.sorted())
        for (key, w) in first.tensors where key != Self.untouched {
            #expect(w.scalars == third.tensors[key]?.scalars, "\(key) differs between the two 0.7 runs")
            #expect(w.scalars != second.tensors[key]?.scalars, "\(key) did not change with the strength")
            #expect(w.scalars != baseValues[key], "\(key) was not patched")
        }
        // Un-patching is dropping the overlay: the stored weights never changed.
        for (key, w) in base.tensors { #expect(w.scalars == baseValues[key], "\(key) not restored") }
    }

    /// Memory stays flat over 20 re-runs: each patched model owns exactly one tensor per patched
    /// weight (no chain of copies) and shares the rest with the base.
    @Test func memoryStaysFlatOverTwentyReruns() throws {
        let (base, patches) = try Self.kohyaModel()
        let patchedBytes = base.tensors.filter { patches[$0.key] != nil }.values.reduce(0) { $0 + $1.byteCount }
        for run in 0..<20 {
            let held = try Self.patched(base, [(patches, run % 2 == 0 ? 1.0 : 0.7)])
            let own = held.tensors.filter { $0.value.storageAddress != base.tensors[$0.key]?.storageAddress }
            #expect(own.values.reduce(0) { $0 + $1.byteCount } == patchedBytes)
            #expect(held.tensors.count == 25)
        }
    }

    @Test func strengthZeroLeavesTheWeightsAsTheyAre() throws {
        let (base, patches) = try Self.kohyaModel()
        #expect(try LoRAPatcher.patchedWeights([(patches, 0)], precision: .float32) { base.tensors[$0] }.isEmpty)
    }

    /// Two LoRAs chained apply in order on top of each other (ComfyUI calculate_weight over the
    /// patch list): same as applying the first, then the second to its result.
    @Test func chainedLoRAsApplyInOrder() throws {
        let (base, patches) = try Self.kohyaModel()
        let loha = try LoRAFixtures.file("loha").resolve(against: [LoRAFixtures.targets.unet]).patches[0]
        let key = try #require(base.tensors.keys.filter { patches[$0] != nil && loha[$0] != nil }.sorted().first)
        let w = try #require(base.tensors[key]).float32()
        let chained = try #require(try Self.patched(base, [(patches, 0.7), (loha, -0.5)]).tensors[key])
        let byHand = try #require(loha[key]).apply(to: try #require(patches[key]).apply(to: w, strength: 0.7), strength: -0.5)
        #expect(chained.scalars == byHand.scalars)
        #expect(chained.scalars != w.scalars)
    }

    @Test func untouchedWeightsAreShared() throws {
        let (base, patches) = try Self.kohyaModel()
        let held = try Self.patched(base, [(patches, 0.7)])
        #expect(held.tensors[Self.untouched]?.storageAddress == base.tensors[Self.untouched]?.storageAddress)
    }

    /// ComfyUI stores a patched weight in the dtype the model holds it in: float32 for the UNet (its
    /// CPU dtype, whatever the file stores), fp16 for the text encoder (rounded to nearest even).
    @Test func patchedWeightsAreStoredInTheModelsPrecision() throws {
        let (base, patches) = try Self.kohyaModel()
        let key = try #require(base.tensors.keys.filter { patches[$0] != nil }.sorted().first)
        let half = try LoRAPatcher.patchedWeights([(patches, 0.7)], precision: .float16) { base.tensors[$0]?.rounded(to: .f16) }
        let full = try LoRAPatcher.patchedWeights([(patches, 0.7)], precision: .float32) { base.tensors[$0]?.rounded(to: .f16) }
        #expect(half[key]?.dtype == .f16 && full[key]?.dtype == .f32)
        let exact = try #require(full[key]).scalars
        #expect(try #require(half[key]).scalars == exact.map { Float(Float16($0)) })
    }

    /// A delta whose product does not fit (checked only when computed, like LoKr's kron) leaves the
    /// weight as it was, as ComfyUI's calculate_weight does after logging the error.
    @Test func deltaThatDoesNotFitLeavesTheWeight() throws {
        let key = "model.diffusion_model.input_blocks.1.1.proj_in.weight"
        let base = Tensor(shape: [4, 4], repeating: 0.5)
        let lokr = LoRADelta(product: .kronecker(.full(.ones([3, 3])), .full(.ones([2, 2]))), alpha: nil, doraScale: nil)
        #expect(try LoRAPatcher.patchedTensor(key, base, [([key: lokr], 1.0)]).scalars == base.scalars)
    }
}
