import Execution
import TensorCore

/// ComfyUI 0.8.0 nodes.py `ConditioningZeroOut`: every cond tensor and `pooled_output` set to zeros.
public enum ConditioningZeroOut: NodeDefinition {
    public static let conditioning = Input<ConditioningValue>("conditioning")

    public static let declaration = NodeDeclaration(
        "ConditioningZeroOut", category: "advanced/conditioning", inputs: [conditioning], outputs: [.conditioning])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let zeroed = try a[conditioning].entries.map { e -> ConditioningValue.Entry in
            var z = e
            z.cond = Tensor.zeros(e.cond.shape)
            z.pooled = e.pooled.map { Tensor.zeros($0.shape) }
            return z
        }
        return NodeOutput(ConditioningValue(zeroed))
    }
}
