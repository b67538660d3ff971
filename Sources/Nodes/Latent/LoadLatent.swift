import Execution

/// ComfyUI 0.8.0 nodes.py `LoadLatent`: a `.latent` file from the input folder.
public enum LoadLatent: NodeDefinition {
    public static let latent = Input<InputFile>("latent", inputFile: "latent")

    public static let declaration = NodeDeclaration(
        "LoadLatent", category: "_for_testing", inputs: [latent], outputs: [.latent])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("LoadLatent")
    }
}
