// What LoraLoader needs of a MODEL or CLIP value: ComfyUI's ModelPatcher.clone() + add_patches.
import Models

/// A MODEL whose weights a LoRA can patch: it carries its stack and makes a clone with another.
public protocol LoRAPatchableModel: DiffusionModel {
    var loras: LoRAStack { get }
    /// The weight names and shapes LoRA files are resolved against.
    func loraTarget() throws -> LoRATarget
    /// The same model with `stack` instead of its own (the weights are patched when it runs).
    func withLoRAs(_ stack: LoRAStack) -> any DiffusionModel
}

/// A CLIP whose weights a LoRA can patch.
public protocol LoRAPatchableTextEncoder: TextEncoder {
    var loras: LoRAStack { get }
    func loraTarget() throws -> LoRATarget
    func withLoRAs(_ stack: LoRAStack) -> any TextEncoder
}

/// A MODEL or CLIP of a family SwiftComfy cannot patch with LoRAs yet.
public struct LoRAUnsupportedModel: Error, CustomStringConvertible {
    public let input: String
    public let kind: String
    public var description: String { "input '\(input)': LoRA patches are not supported for \(kind) yet" }
}
