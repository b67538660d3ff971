import Execution

/// ComfyUI 0.8.0 nodes.py `UNETLoader` ("Load Diffusion Model"): a diffusion model without text
/// encoder or VAE (Flux).
public enum UNETLoader: NodeDefinition {
    public static let unetName = Input<ModelFile>("unet_name", folder: "diffusion_models")
    public static let weightDType = Input<String>("weight_dtype", choices: ["default", "fp8_e4m3fn", "fp8_e4m3fn_fast", "fp8_e5m2"])

    public static let declaration = NodeDeclaration(
        "UNETLoader", displayName: "Load Diffusion Model", category: "advanced/loaders",
        inputs: [unetName, weightDType], outputs: [.model])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("UNETLoader")
    }
}
