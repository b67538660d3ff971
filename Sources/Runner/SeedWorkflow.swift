import Foundation
import Workflow

/// The workflow `swiftcomfy demo` runs: ComfyUI's SD1.5 + LoRA seed workflow, the UI export
/// `workflows/SD1.5_lora.json` (a byte-identical copy ships in this target's resources, so the
/// binary needs no checkout; a test keeps the two equal). It asks for
/// `checkpoints/v1-5-pruned-emaonly-fp16.safetensors`, `vae/vae-ft-mse-840000-ema-pruned.safetensors`
/// and `loras/1.5\1.5-dpo-LoRA.safetensors` (a Windows name), renders 512x512 in 20 euler steps.
public enum SeedWorkflow {
    public static let resourceName = "SD1.5_lora"

    /// The embedded copy of `workflows/SD1.5_lora.json`.
    public static var url: URL? { Bundle.module.url(forResource: resourceName, withExtension: "json") }

    public static func load() throws -> LoadedWorkflow {
        guard let url else {
            throw SeedWorkflowError(description: "the embedded seed workflow \(resourceName).json is missing from the bundle")
        }
        return try WorkflowLoader.load(data: try Data(contentsOf: url))
    }

    /// Overrides for the demo's `--steps N` and `--size WxH`: every KSampler's `steps`, every
    /// EmptyLatentImage's `width` and `height`.
    public static func overrides(for prompt: JSONObject, steps: Int?, size: (width: Int, height: Int)?) -> [Override] {
        var out: [Override] = []
        for (id, node) in prompt {
            switch node["class_type"]?.stringValue {
            case "KSampler":
                if let steps { out.append(Override(node: id, input: "steps", value: .int(Int64(steps)))) }
            case "EmptyLatentImage":
                if let size {
                    out.append(Override(node: id, input: "width", value: .int(Int64(size.width))))
                    out.append(Override(node: id, input: "height", value: .int(Int64(size.height))))
                }
            default:
                break
            }
        }
        return out
    }

    /// `512x512` -> (512, 512); nil for anything else.
    public static func parseSize(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else { return nil }
        return (w, h)
    }
}

public struct SeedWorkflowError: Error, CustomStringConvertible {
    public let description: String
}
