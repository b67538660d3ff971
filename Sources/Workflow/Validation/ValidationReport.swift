/// The outcome of validating a prompt, with the prompt as coerced (ComfyUI writes coerced values
/// back, so `8` for a FLOAT becomes `8.0` in history and PNG metadata). Only `PromptValidator`
/// makes one; `validated` is the only way to a `ValidatedPrompt`.
public struct ValidationReport: Sendable {
    public struct NodeErrors: Sendable, Equatable {
        public var nodeID: String
        public var classType: String
        public var errors: [NodeInputError]
        /// A slice of one array shared by all nodes: with every output failing, the lists
        /// together are quadratic in the outputs (as ComfyUI's body is), their storage is not.
        public var dependentOutputs: ArraySlice<String>
    }

    public internal(set) var prompt: JSONObject
    /// Problems with the prompt as a whole (unknown types, no outputs): nothing else was checked.
    public internal(set) var promptErrors: [PromptError] = []
    /// Nodes with problems, in the order they were found.
    public internal(set) var nodeErrors: [NodeErrors] = []
    /// Output nodes that passed (they, and their ancestors, may run).
    public internal(set) var goodOutputs: [String] = []
    /// `message: details` lines of the errors on failed output nodes themselves (ComfyUI's top-level details).
    var outputErrorLines: [String] = []

    public var isValid: Bool { promptErrors.isEmpty && nodeErrors.isEmpty }

    /// What the executor may run: the coerced prompt and its good outputs, when ComfyUI would queue
    /// it (no top-level `error`, so at least one output passed); nil otherwise.
    public var validated: ValidatedPrompt? {
        guard error == nil else { return nil }
        return ValidatedPrompt(prompt: prompt, outputs: goodOutputs, nodeErrors: nodeErrors)
    }

    /// Every input error, node by node.
    public var inputErrors: [NodeInputError] { nodeErrors.flatMap(\.errors) }

    /// ComfyUI's top-level `error`: nil when at least one output is valid.
    public var error: ComfyError? {
        if let first = promptErrors.first { return first.comfy }
        if goodOutputs.isEmpty {
            return ComfyError(type: "prompt_outputs_failed_validation", message: "Prompt outputs failed validation",
                              details: outputErrorLines.joined(separator: "\n"))
        }
        return nil
    }

    /// ComfyUI's `POST /prompt` error body: `{"error": {...}, "node_errors": {...}}` (no `error` on
    /// partial success).
    public var body: JSONValue {
        var out = JSONObject()
        if let error { out["error"] = error.json }
        out["node_errors"] = Self.json(nodeErrors)
        return .object(out)
    }

    /// ComfyUI's `node_errors`: `{id: {"errors": [...], "dependent_outputs": [...], "class_type": ...}}`.
    public static func json(_ nodeErrors: [NodeErrors]) -> JSONValue {
        var nodes = JSONObject()
        for n in nodeErrors {
            nodes[n.nodeID] = ["errors": .array(n.errors.map(\.comfy.json)),
                               "dependent_outputs": .array(n.dependentOutputs.map { .string($0) }),
                               "class_type": .string(n.classType)]
        }
        return .object(nodes)
    }

    /// One line per problem, naming node, type, input and reason.
    public var lines: [String] {
        promptErrors.map(\.description) + inputErrors.map(\.description)
    }
}
