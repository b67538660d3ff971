import Execution
import Workflow

/// ComfyUI 0.8.0 nodes.py `SaveLatent`: `<prefix>_00001_.latent` (safetensors) in the output folder.
public enum SaveLatent: NodeDefinition {
    public static let samples = Input<LatentValue>("samples")
    public static let filenamePrefix = Input<String>("filename_prefix", options: ["default": "latents/ComfyUI"])
    public static let prompt = Input<JSONValue>(hidden: "prompt", type: "PROMPT")
    public static let extraPNGInfo = Input<JSONValue>(hidden: "extra_pnginfo", type: "EXTRA_PNGINFO")

    public static let declaration = NodeDeclaration(
        "SaveLatent", category: "_for_testing", inputs: [samples, filenamePrefix, prompt, extraPNGInfo],
        outputs: [], isOutputNode: true)

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("SaveLatent")
    }
}
