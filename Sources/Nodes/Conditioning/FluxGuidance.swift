import Execution

/// ComfyUI 0.8.0 comfy_extras/nodes_flux.py `FluxGuidance`: sets `guidance` on every entry.
public enum FluxGuidance: NodeDefinition {
    public static let conditioning = Input<ConditioningValue>("conditioning")
    public static let guidance = Input<Double>("guidance", default: 3.5, min: 0, max: 100, step: 0.1)

    public static let declaration = NodeDeclaration(
        "FluxGuidance", category: "advanced/conditioning/flux", inputs: [conditioning, guidance], outputs: [.conditioning])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let g = try a[guidance]
        let entries = try a[conditioning].entries.map { e -> ConditioningValue.Entry in
            var c = e
            c.guidance = g
            return c
        }
        return NodeOutput(ConditioningValue(entries))
    }
}
