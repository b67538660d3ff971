import Workflow

/// The node types an executor can run, by class_type.
public struct NodeRegistry: Sendable {
    public let nodes: [any NodeDefinition.Type]
    private let byName: [String: any NodeDefinition.Type]

    public init(_ nodes: [any NodeDefinition.Type]) {
        self.nodes = nodes
        var byName: [String: any NodeDefinition.Type] = [:]
        for n in nodes { byName[n.declaration.schema.name] = n }
        self.byName = byName
    }

    public subscript(classType: String) -> (any NodeDefinition.Type)? { byName[classType] }

    public var names: [String] { nodes.map { $0.declaration.schema.name } }

    /// The schema validation and `/object_info` use: the declaration, with ComfyUI's tooltips (which
    /// are documentation, not behaviour) taken from the catalogue.
    public func schema(_ classType: String, catalogue: Catalogue = .comfyUI) -> NodeSchema? {
        guard var schema = byName[classType]?.declaration.schema else { return nil }
        guard let reference = catalogue[classType] else { return schema }
        for i in schema.inputs.indices where schema.inputs[i].options["tooltip"] == nil {
            if let tip = reference.input(named: schema.inputs[i].name)?.options["tooltip"] {
                schema.inputs[i].options["tooltip"] = tip
            }
        }
        return schema
    }

    /// What validation needs to know about these nodes.
    public func nodeTypes(catalogue: Catalogue = .comfyUI) -> NodeTypes {
        var runnable: [String: NodeSchema] = [:]
        var models: [String: [String: String]] = [:]
        var files: [String: [String: String]] = [:]
        for node in nodes {
            let d = node.declaration
            let name = d.schema.name
            runnable[name] = schema(name, catalogue: catalogue)
            for input in d.inputs {
                if let folder = input.info.modelFolder { models[name, default: [:]][input.spec.name] = folder }
                if let kind = input.info.inputFileKind { files[name, default: [:]][input.spec.name] = kind }
            }
        }
        return NodeTypes(runnable: runnable, catalogue: catalogue, modelInputs: models, inputFileInputs: files)
    }
}
