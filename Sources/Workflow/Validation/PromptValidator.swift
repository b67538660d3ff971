/// Matches ComfyUI 0.8.0 execution.py `validate_prompt` / `validate_inputs`: the same checks in the
/// same order, the same `type` strings, messages, details and extra_info; coerced values are written
/// back into the prompt. Differences, all deliberate: a known ComfyUI node that SwiftComfy does not
/// run yet gets its own message; cycles get a `dependency_cycle` error on each node of the cycle
/// (ComfyUI answers with an empty error list); model names with `\` match files listed with `/`.
public struct PromptValidator {
    public let types: NodeTypes
    public let files: ValidationFiles

    public init(types: NodeTypes, files: ValidationFiles) {
        self.types = types
        self.files = files
    }

    /// Validates `prompt`; `targets` restricts the outputs (ComfyUI's `partial_execution_targets`).
    public func validate(_ prompt: JSONObject, targets: [String]? = nil) -> ValidationReport {
        var report = ValidationReport(prompt: prompt)
        guard let graph = shapeCheck(prompt, report: &report) else { return report }
        let outputs = graph.order.filter { id in
            (graph.schemas[id]?.isOutputNode ?? false) && (targets?.contains(id) ?? true)
        }
        if outputs.isEmpty {
            report.promptErrors = [.noOutputs]
            return report
        }
        var walk = InputWalk(graph: graph, validator: self)
        walk.markCycles(from: outputs)
        for output in outputs {
            let valid = walk.validateOutput(output)
            if valid {
                report.goodOutputs.append(output)
            } else {
                report.outputErrorLines += (walk.results[output]?.errors ?? []).map { "\($0.comfy.message): \($0.comfy.details)" }
                walk.attribute(failedOutput: output)
            }
        }
        report.nodeErrors = walk.nodeErrors()
        report.prompt = walk.graph.prompt
        return report
    }

    /// Checks every node's shape and class before anything else (ComfyUI stops at the first
    /// offender; SwiftComfy lists all of them).
    func shapeCheck(_ prompt: JSONObject, report: inout ValidationReport) -> PromptGraph? {
        var problems: [PromptError] = []
        var schemas: [String: NodeSchema] = [:]
        for (id, value) in prompt {
            guard case .object(let node) = value else {
                problems.append(.malformed(id, "its value is not an object with class_type and inputs"))
                continue
            }
            guard let classType = node["class_type"]?.stringValue else {
                problems.append(.missingClassType(id))
                continue
            }
            if let inputs = node["inputs"], inputs.objectValue == nil {
                problems.append(.malformed(id, "its inputs are not an object"))
                continue
            }
            if let schema = types.runnable[classType] {
                schemas[id] = schema
            } else if types.catalogue[classType] != nil {
                problems.append(.notRunnable(id, classType))
            } else {
                problems.append(.unknown(id, classType))
            }
        }
        if !problems.isEmpty {
            report.promptErrors = problems
            return nil
        }
        return PromptGraph(prompt: prompt, schemas: schemas)
    }
}

/// The prompt with each node's schema, once every node is known to be well formed.
struct PromptGraph {
    let schemas: [String: NodeSchema]
    /// The node ids in prompt order.
    let order: [String]
    /// Node id -> its object, indexed once: JSONObject lookups and writes are linear scans, which
    /// made writing coerced values back quadratic in the node count.
    private var nodes: [String: JSONObject]

    init(prompt: JSONObject, schemas: [String: NodeSchema]) {
        self.schemas = schemas
        order = prompt.keys
        var nodes: [String: JSONObject] = [:]
        for (id, value) in prompt { nodes[id] = value.objectValue }
        self.nodes = nodes
    }

    /// The prompt with the coerced values written back, in its order (every node is an object).
    var prompt: JSONObject {
        JSONObject(order.compactMap { id in nodes[id].map { (key: id, value: JSONValue.object($0)) } })
    }

    func classType(_ id: String) -> String { nodes[id]?["class_type"]?.stringValue ?? "" }
    func inputs(_ id: String) -> JSONObject { nodes[id]?["inputs"]?.objectValue ?? JSONObject() }

    mutating func setInput(_ id: String, _ name: String, _ value: JSONValue) {
        guard var node = nodes[id] else { return }
        var inputs = node["inputs"]?.objectValue ?? JSONObject()
        inputs[name] = value
        node["inputs"] = .object(inputs)
        nodes[id] = node
    }

    /// The links a node makes through its declared inputs to existing nodes, in schema order.
    func links(of id: String) -> [(input: String, source: String)] {
        let given = inputs(id)
        return (schemas[id]?.inputs ?? []).compactMap { spec in
            guard spec.section != .hidden, case .array(let a)? = given[spec.name], a.count == 2,
                  case .string(let source) = a[0], schemas[source] != nil else { return nil }
            return (spec.name, source)
        }
    }
}
