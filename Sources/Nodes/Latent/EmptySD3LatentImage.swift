import Execution
import TensorCore

/// ComfyUI 0.8.0 comfy_extras/nodes_sd3.py `EmptySD3LatentImage`: zeros `[B, 16, h/8, w/8]`
/// (16 channels: SD3 and Flux).
public enum EmptySD3LatentImage: NodeDefinition {
    public static let width = Input<Int>("width", default: 1024, min: 16, max: 16384, step: 16)
    public static let height = Input<Int>("height", default: 1024, min: 16, max: 16384, step: 16)
    public static let batchSize = Input<Int>("batch_size", default: 1, min: 1, max: 4096)

    public static let declaration = NodeDeclaration(
        "EmptySD3LatentImage", category: "latent/sd3", inputs: [width, height, batchSize], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        NodeOutput(LatentValue(samples: .zeros([try a[batchSize], 16, try a[height] / 8, try a[width] / 8])))
    }
}
