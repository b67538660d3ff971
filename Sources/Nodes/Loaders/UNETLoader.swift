// Matches ComfyUI 0.8.0 nodes.py UNETLoader (comfy/sd.py load_diffusion_model with the
// weight_dtype's model_options).
import Execution

/// UNETLoader's `weight_dtype` (nodes.py: fp8 choices set model_options dtype / fp8_optimizations).
public enum UNetWeightDType: String, ComboValue {
    case `default`, fp8_e4m3fn, fp8_e4m3fn_fast, fp8_e5m2
}

/// ComfyUI 0.8.0 nodes.py `UNETLoader` ("Load Diffusion Model"): a diffusion model without text
/// encoder or VAE, of any family in `Families.all` that can load one.
public enum UNETLoader: NodeDefinition {
    public static let unetName = Input<ModelFile>("unet_name", folder: "diffusion_models")
    public static let weightDType = Input<UNetWeightDType>("weight_dtype")

    public static let declaration = NodeDeclaration(
        "UNETLoader", displayName: "Load Diffusion Model", category: "advanced/loaders",
        inputs: [unetName, weightDType], outputs: [.model])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        let url = try ctx.modelPath(try a[unetName])
        return NodeOutput(try Families.loadDiffusionModel(url, weightDType: try a[weightDType], ctx))
    }
}
