import Execution
import Foundation
import Nodes
import TestSupport
import Workflow

/// Prompts and folders the node tests share.
enum Fixtures {
    /// The SD1.5 + LoRA seed prompt as ComfyUI's frontend converts it (../shared/workflows/conversion).
    static func sd15() throws -> JSONObject { try api("SD1.5_lora.api.json") }
    static func flux() throws -> JSONObject { try api("Flux.1_lora.api.json") }

    static func api(_ file: String) throws -> JSONObject {
        let url = SharedKit.workflows.appendingPathComponent("conversion").appendingPathComponent(file)
        return try WorkflowLoader.load(data: Data(contentsOf: url)).prompt
    }

    /// A temporary models root holding empty files under the given relative paths.
    static func models(_ files: [String]) throws -> URL { try TemporaryFolders.withEmptyFiles(files) }

    static let sd15Files = ["checkpoints/v1-5-pruned-emaonly-fp16.safetensors", "vae/vae-ft-mse-840000-ema-pruned.safetensors",
                            "loras/1.5/1.5-dpo-LoRA.safetensors"]
    static let fluxFiles = ["text_encoders/clip_l.safetensors", "clip/t5xxl_fp8_e4m3fn.safetensors",
                            "unet/Flux/flux1-dev-fp8.safetensors", "vae/ae.safetensors", "loras/Flux.1/AWPortrait-FL-lora.safetensors"]

    static func validator(models root: URL? = nil, input: URL? = nil) -> PromptValidator {
        let folders = ModelFolders(roots: root.map { [$0] } ?? [])
        return PromptValidator(types: Registry.standard.nodeTypes(), files: ValidationFiles(models: folders, inputDirectory: input))
    }

    static func environment() -> RunEnvironment {
        let tmp = FileManager.default.temporaryDirectory
        return RunEnvironment(models: ModelFolders(roots: []), outputDirectory: tmp, inputDirectory: tmp, tempDirectory: tmp)
    }

    static func setting(_ p: JSONObject, _ id: String, _ input: String, _ v: JSONValue?) -> JSONObject {
        var p = p
        guard var node = p[id]?.objectValue else { return p }
        var inputs = node["inputs"]?.objectValue ?? JSONObject()
        inputs[input] = v
        node["inputs"] = .object(inputs)
        p[id] = .object(node)
        return p
    }
}
