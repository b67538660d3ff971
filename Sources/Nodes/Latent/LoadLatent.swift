import Checkpoint
import Execution
import TensorCore
import Workflow

/// ComfyUI 0.8.0 nodes.py `LoadLatent`: `latent_tensor` of a `.latent` file of the input folder,
/// multiplied by 1/0.18215 when the file lacks `latent_format_version_0` (files older than the
/// marker stored scaled latents). `IS_CHANGED` = SHA-256 of the file.
public enum LoadLatent: NodeDefinition {
    public static let latent = Input<InputFile>("latent", inputFile: "latent")

    public static let declaration = NodeDeclaration(
        "LoadLatent", category: "_for_testing", inputs: [latent], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let file = try SafeTensorsFile(url: try AnnotatedFile.url(try a[latent].name, in: ctx.environment))
        var samples = try file.tensor("latent_tensor")
        if file.info("latent_format_version_0") == nil {
            let multiplier = Float(1.0 / 0.18215)     // torch: float32 tensor times a Python float
            samples.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= multiplier } }
        }
        return NodeOutput(LatentValue(samples: samples))
    }

    public static func fingerprint(_ a: Arguments, _ ctx: NodeContext) throws -> JSONValue? {
        .string(try SHA256.hex(ofFile: try AnnotatedFile.url(try a[latent].name, in: ctx.environment)))
    }
}
