import Execution

/// ComfyUI 0.8.0 nodes.py `LatentUpscaleBy`: new size `round(dim * scale_by)` on the latent's own
/// dimensions (Python `round`, halves to even), no crop.
public enum LatentUpscaleBy: NodeDefinition {
    public static let samples = Input<LatentValue>("samples")
    public static let upscaleMethod = Input<LatentUpscaleMethod>("upscale_method")
    public static let scaleBy = Input<Double>("scale_by", default: 1.5, min: 0.01, max: 8, step: 0.01)

    public static let declaration = NodeDeclaration(
        "LatentUpscaleBy", displayName: "Upscale Latent By", category: "latent",
        inputs: [samples, upscaleMethod, scaleBy], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        var latent = try a[samples]
        let shape = latent.samples.shape, scale = try a[scaleBy]
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else { throw UpscaleError.shape(shape) }
        // Validation lets NaN through (Python's `<` is false for it); ComfyUI's round() then raises.
        guard scale.isFinite else { throw UpscaleError.scale(scale) }
        let w = CommonUpscale.pythonRound(Double(shape[3]) * scale), h = CommonUpscale.pythonRound(Double(shape[2]) * scale)
        let method = try CommonUpscale.Method.from(try a[upscaleMethod].rawValue)
        latent.samples = try CommonUpscale.resize(latent.samples, width: w, height: h, method: method, crop: .disabled)
        return NodeOutput(latent)
    }
}
