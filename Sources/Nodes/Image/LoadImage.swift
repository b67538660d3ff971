import Execution

/// ComfyUI 0.8.0 nodes.py `LoadImage`: an image of the input folder -> IMAGE, MASK (1 - alpha).
public enum LoadImage: NodeDefinition {
    public static let image = Input<InputFile>("image", inputFile: "image", options: ["image_upload": true])

    public static let declaration = NodeDeclaration(
        "LoadImage", displayName: "Load Image", category: "image", inputs: [image], outputs: [.image, .mask])

    public static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        throw NotImplementedYet("LoadImage")
    }
}
