// Matches ComfyUI 0.8.0 nodes.py LoraLoader / LoraLoaderModelOnly with comfy/sd.py load_lora_for_models:
// a LoRA node clones the MODEL/CLIP patcher and adds patches; the weights change when the model runs.
import TensorCore

/// The LoRAs a MODEL or CLIP value carries, in the order the nodes added them (ComfyUI's
/// ModelPatcher patch lists). A value: cheap to copy, never touches weights. The model computes
/// its patched weights with `LoRAPatcher.patchedWeights(stack.patchList, ...)` when it first runs.
public struct LoRAStack: Sendable {
    public struct Entry: Sendable {
        public let file: String
        public let patches: LoRAPatches
        public let strength: Double
    }

    public private(set) var entries: [Entry] = []

    /// Identifies a stack's effect on the weights: which files (resolved to how many weights), at
    /// which strengths, in which order.
    public struct Signature: Equatable, Sendable {
        let file: String, weights: Int, strength: Double
    }

    public var signature: [Signature] { entries.map { Signature(file: $0.file, weights: $0.patches.count, strength: $0.strength) } }

    public init() {}

    /// This stack plus one LoRA. Strength 0, or no patches for this model, adds nothing (the
    /// weights would be the same).
    public func adding(_ patches: LoRAPatches, strength: Double, file: String) -> LoRAStack {
        guard strength != 0, !patches.isEmpty else { return self }
        var copy = self
        copy.entries.append(Entry(file: file, patches: patches, strength: strength))
        return copy
    }

    /// The input of `LoRAPatcher.patchedWeights`.
    public var patchList: [(patches: LoRAPatches, strength: Double)] { entries.map { ($0.patches, $0.strength) } }

    public var isEmpty: Bool { entries.isEmpty }
}

/// What LoraLoader does once it has opened the file: resolve it against the model (and the text
/// encoder), log what matched, and extend both stacks.
public enum LoRALoading {
    /// `LoraLoader`: both strengths 0 returns the inputs untouched without reading anything (ComfyUI
    /// does not open the file then either); `clip` nil is `LoraLoaderModelOnly`.
    public static func apply(_ lora: @autoclosure () throws -> LoRAFile,
                             model: (target: LoRATarget, stack: LoRAStack), strengthModel: Double,
                             clip: (target: LoRATarget, stack: LoRAStack)?, strengthClip: Double)
        throws -> (model: LoRAStack, clip: LoRAStack?, match: LoRAMatch?) {
        if strengthModel == 0 && (clip == nil || strengthClip == 0) { return (model.stack, clip?.stack, nil) }
        let file = try lora()
        let match = file.resolve(against: [model.target] + (clip.map { [$0.target] } ?? []))
        let m = model.stack.adding(match.patches[0], strength: strengthModel, file: file.name)
        let c = clip.map { $0.stack.adding(match.patches[1], strength: strengthClip, file: file.name) }
        return (m, c, match)
    }
}
