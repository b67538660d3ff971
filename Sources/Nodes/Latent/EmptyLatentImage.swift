import Execution
import TensorCore

/// ComfyUI 0.8.0 nodes.py `EmptyLatentImage`: zeros `[B, 4, height/8, width/8]` (floor division;
/// `step` is a UI hint, never checked).
public enum EmptyLatentImage: NodeDefinition {
    public static let width = Input<Int>("width", default: 512, min: 16, max: 16384, step: 8)
    public static let height = Input<Int>("height", default: 512, min: 16, max: 16384, step: 8)
    public static let batchSize = Input<Int>("batch_size", default: 1, min: 1, max: 4096)

    public static let declaration = NodeDeclaration(
        "EmptyLatentImage", displayName: "Empty Latent Image", category: "latent",
        inputs: [width, height, batchSize], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        NodeOutput(LatentValue(samples: .zeros([try a[batchSize], 4, try a[height] / 8, try a[width] / 8])))
    }
}
