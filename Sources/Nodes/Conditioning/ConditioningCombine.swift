import Execution

/// ComfyUI 0.8.0 nodes.py `ConditioningCombine`: the two lists concatenated (the sampler averages
/// the predictions of all entries).
public enum ConditioningCombine: NodeDefinition {
    public static let conditioning1 = Input<ConditioningValue>("conditioning_1")
    public static let conditioning2 = Input<ConditioningValue>("conditioning_2")

    public static let declaration = NodeDeclaration(
        "ConditioningCombine", displayName: "Conditioning (Combine)", category: "conditioning",
        inputs: [conditioning1, conditioning2], outputs: [.conditioning])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        NodeOutput(ConditioningValue(try a[conditioning1].entries + a[conditioning2].entries))
    }
}
