import Checkpoint
import Execution
import Foundation
import Workflow

/// ComfyUI 0.8.0 nodes.py `SaveLatent`: `<prefix>_00001_.latent` in the output folder (named as
/// SaveImage names, with `%width%`/`%height%` = 0), a safetensors file with `latent_tensor` (F32)
/// and the empty marker `latent_format_version_0` (F32, shape [0]); metadata `prompt` =
/// `json.dumps(prompt)` ("" without a prompt) and one entry per extra_pnginfo key.
public enum SaveLatent: NodeDefinition {
    public static let samples = Input<LatentValue>("samples")
    public static let filenamePrefix = Input<String>("filename_prefix", options: ["default": "latents/ComfyUI"])
    public static let prompt = Input<JSONValue>(hidden: "prompt", type: "PROMPT")
    public static let extraPNGInfo = Input<JSONValue>(hidden: "extra_pnginfo", type: "EXTRA_PNGINFO")

    public static let declaration = NodeDeclaration(
        "SaveLatent", category: "_for_testing", inputs: [samples, filenamePrefix, prompt, extraPNGInfo],
        outputs: [], isOutputNode: true)

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let naming = try SaveNaming(prefix: try a[filenamePrefix], outputDirectory: ctx.environment.outputDirectory)
        var metadata = [("prompt", try a.optional(prompt)?.serialized(.python) ?? "")]
        for (key, value) in try a.optional(extraPNGInfo)?.objectValue ?? JSONObject() {
            metadata.append((key, value.serialized(.python)))
        }
        let latent = try a[samples].samples
        let items: [SafeTensorsWriter.Item] = [.init(key: "latent_tensor", tensor: latent),
                                               .init(key: "latent_format_version_0", floats: [], shape: [0])]
        // The name is claimed exclusively: a file another writer took meanwhile moves us to the next counter.
        let counter = try AtomicFile.claim(from: naming.counter, name: {
            naming.folder.appendingPathComponent(naming.name(batch: 0, counter: $0, extension: "latent"))
        }) { url in
            try SafeTensorsWriter.write(items, metadata: metadata, to: url, replacing: false)
        }
        let name = naming.name(batch: 0, counter: counter, extension: "latent")
        let url = naming.folder.appendingPathComponent(name)
        let entry: JSONValue = ["filename": .string(name), "subfolder": .string(naming.subfolder), "type": "output"]
        return NodeOutput(values: [], ui: JSONObject([("latents", .array([entry]))]), files: [url])
    }
}
