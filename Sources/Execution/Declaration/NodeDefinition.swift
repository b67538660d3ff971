import Foundation
import Workflow

/// A node type, declared once: its schema (inputs in widget order, outputs, output flag) and its
/// function. Validation, `/object_info` and UI->API conversion derive from `declaration.schema`.
///
/// ```swift
/// enum EmptyLatentImage: NodeDefinition {
///     static let width  = Input<Int>("width", default: 512, min: 16, max: 16384, step: 8)
///     ...
///     static let declaration = NodeDeclaration("EmptyLatentImage", category: "latent",
///         inputs: [width, height, batchSize], outputs: [.latent])
///     static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
///         NodeOutput(Latent(zeros: ...try a[width] ...))
///     }
/// }
/// ```
public protocol NodeDefinition: Sendable {
    static var declaration: NodeDeclaration { get }
    /// Runs the node. Returns one value per declared output, in order.
    static func execute(_ arguments: Arguments, _ context: NodeContext) throws -> NodeOutput
    /// ComfyUI's `IS_CHANGED` / `fingerprint_inputs`: a value that enters the cache signature (a
    /// file hash for LoadImage). Only constant inputs are readable here. Default: nil (the inputs
    /// alone decide). Throwing means "always run again".
    static func fingerprint(_ arguments: Arguments, _ context: NodeContext) throws -> JSONValue?
}

extension NodeDefinition {
    public static func fingerprint(_ arguments: Arguments, _ context: NodeContext) throws -> JSONValue? { nil }
    public static var schema: NodeSchema { declaration.schema }
}

/// A node's schema plus the typed facts of its inputs.
public struct NodeDeclaration: Sendable {
    public let schema: NodeSchema
    public let inputs: [any InputDeclaration]

    public init(_ name: String, displayName: String? = nil, category: String, description: String = "",
                inputs: [any InputDeclaration], outputs: [OutputSpec], isOutputNode: Bool = false) {
        self.inputs = inputs
        schema = NodeSchema(name: name, displayName: displayName, category: category, description: description,
                            inputs: inputs.map(\.spec), outputs: outputs, isOutputNode: isOutputNode)
    }

    public func info(_ input: String) -> InputInfo? { inputs.first { $0.spec.name == input }?.info }
}

/// The link types of the core nodes, for `outputs:` lists.
extension OutputSpec {
    public static let model = OutputSpec(type: "MODEL")
    public static let clip = OutputSpec(type: "CLIP")
    public static let vae = OutputSpec(type: "VAE")
    public static let latent = OutputSpec(type: "LATENT")
    public static let conditioning = OutputSpec(type: "CONDITIONING")
    public static let image = OutputSpec(type: "IMAGE")
    public static let mask = OutputSpec(type: "MASK")
}

/// What a node returns: one value per declared output (any type: Execution passes them along
/// links untouched), plus ComfyUI's UI dict and the files it wrote (SaveImage).
public struct NodeOutput: Sendable {
    public var values: [any Sendable]
    /// ComfyUI's `ui` result, e.g. `{"images": [{"filename", "subfolder", "type"}]}`.
    public var ui: JSONObject?
    /// Files written, for the CLI's report.
    public var files: [URL]

    public init(_ values: any Sendable..., ui: JSONObject? = nil, files: [URL] = []) {
        self.init(values: values, ui: ui, files: files)
    }

    public init(values: [any Sendable], ui: JSONObject? = nil, files: [URL] = []) {
        self.values = values
        self.ui = ui
        self.files = files
    }
}

/// "SwiftComfy declares this node but its implementation lands in a later issue."
public struct NotImplementedYet: Error, CustomStringConvertible {
    public let classType: String
    public init(_ classType: String) { self.classType = classType }
    public var description: String { "\(classType) is declared but not implemented yet in SwiftComfy" }
}
