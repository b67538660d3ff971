import Execution

/// ComfyUI 0.8.0 nodes.py `LatentUpscale`: resize to `width//8 x height//8` (`common_upscale`).
/// Both 0: passthrough; one 0: that side keeps the aspect (`round`, halves to even); each side at
/// least 64 pixels. `noise_mask` and `batch_index` pass through unchanged, as in ComfyUI.
public enum LatentUpscale: NodeDefinition {
    public static let samples = Input<LatentValue>("samples")
    public static let upscaleMethod = Input<LatentUpscaleMethod>("upscale_method")
    public static let width = Input<Int>("width", default: 512, min: 0, max: 16384, step: 8)
    public static let height = Input<Int>("height", default: 512, min: 0, max: 16384, step: 8)
    public static let crop = Input<CropMode>("crop")

    public static let declaration = NodeDeclaration(
        "LatentUpscale", displayName: "Upscale Latent", category: "latent",
        inputs: [samples, upscaleMethod, width, height, crop], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        var latent = try a[samples]
        var (w, h) = (try a[width], try a[height])
        if w == 0 && h == 0 { return NodeOutput(latent) }
        let shape = latent.samples.shape
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else { throw UpscaleError.shape(shape) }
        if w == 0 {
            h = max(64, h)
            w = max(64, CommonUpscale.pythonRound(Double(shape[3]) * Double(h) / Double(shape[2])))
        } else if h == 0 {
            w = max(64, w)
            h = max(64, CommonUpscale.pythonRound(Double(shape[2]) * Double(w) / Double(shape[3])))
        } else {
            (w, h) = (max(64, w), max(64, h))
        }
        let method = try CommonUpscale.Method.from(try a[upscaleMethod].rawValue)
        latent.samples = try CommonUpscale.resize(latent.samples, width: w / 8, height: h / 8, method: method, crop: try a[crop])
        return NodeOutput(latent)
    }
}
