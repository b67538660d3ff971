/// One validation problem in ComfyUI's wire shape (execution.py `validate_inputs`): `type`,
/// `message`, `details`, `extra_info`.
public struct ComfyError: Sendable, Equatable {
    public var type: String
    public var message: String
    public var details: String
    public var extraInfo: JSONObject

    /// `extraInfo` is written as a JSON object literal.
    public init(type: String, message: String, details: String, extraInfo: JSONValue = [:]) {
        self.type = type
        self.message = message
        self.details = details
        self.extraInfo = extraInfo.objectValue ?? JSONObject()
    }

    public var json: JSONValue {
        ["type": .string(type), "message": .string(message), "details": .string(details), "extra_info": .object(extraInfo)]
    }
}

/// A problem with one input of one node: what the CLI prints and the server sends in `node_errors`.
public struct NodeInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case requiredInputMissing = "required_input_missing"
        case badLinkedInput = "bad_linked_input"
        case linkedNodeMissing = "linked_node_missing"
        case linkedOutputMissing = "linked_output_missing"
        case returnTypeMismatch = "return_type_mismatch"
        case invalidInputType = "invalid_input_type"
        case valueSmallerThanMin = "value_smaller_than_min"
        case valueBiggerThanMax = "value_bigger_than_max"
        case valueNotInList = "value_not_in_list"
        case customValidationFailed = "custom_validation_failed"
        case dependencyCycle = "dependency_cycle"
    }

    public let kind: Kind
    public let nodeID: String
    public let classType: String
    public let input: String
    /// The human reason: "value 0 is smaller than min 1".
    public let reason: String
    /// The same problem as ComfyUI reports it.
    public let comfy: ComfyError

    public init(kind: Kind, nodeID: String, classType: String, input: String, reason: String, comfy: ComfyError) {
        self.kind = kind
        self.nodeID = nodeID
        self.classType = classType
        self.input = input
        self.reason = reason
        self.comfy = comfy
    }

    public var description: String { "node \(nodeID) (\(classType)), input '\(input)': \(reason)" }
}

/// A problem with the prompt as a whole, found before any input is checked.
public struct PromptError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case missingClassType, unknownNodeType, notRunnableYet, malformedNode, noOutputs
    }

    public let kind: Kind
    public let nodeID: String?
    public let reason: String
    public let comfy: ComfyError

    public init(kind: Kind, nodeID: String?, reason: String, comfy: ComfyError) {
        self.kind = kind
        self.nodeID = nodeID
        self.reason = reason
        self.comfy = comfy
    }

    public var description: String { nodeID.map { "node \($0): \(reason)" } ?? reason }

    static func missingClassType(_ id: String) -> PromptError {
        PromptError(kind: .missingClassType, nodeID: id, reason: "has no class_type",
                    comfy: ComfyError(type: "invalid_prompt",
                                      message: "Cannot execute because a node is missing the class_type property.",
                                      details: "Node ID '#\(id)'"))
    }

    static func unknown(_ id: String, _ type: String) -> PromptError {
        PromptError(kind: .unknownNodeType, nodeID: id, reason: "unknown node type '\(type)' (not a ComfyUI core node)",
                    comfy: ComfyError(type: "invalid_prompt", message: "Cannot execute because node \(type) does not exist.",
                                      details: "Node ID '#\(id)'"))
    }

    static func notRunnable(_ id: String, _ type: String) -> PromptError {
        let message = "Cannot execute because node \(type) is a ComfyUI node that SwiftComfy does not run yet."
        return PromptError(kind: .notRunnableYet, nodeID: id,
                           reason: "'\(type)' is a ComfyUI node that SwiftComfy does not run yet",
                           comfy: ComfyError(type: "invalid_prompt", message: message, details: "Node ID '#\(id)'"))
    }

    static func malformed(_ id: String, _ why: String) -> PromptError {
        PromptError(kind: .malformedNode, nodeID: id, reason: why,
                    comfy: ComfyError(type: "invalid_prompt", message: "Cannot execute because node \(id) is malformed: \(why).",
                                      details: "Node ID '#\(id)'"))
    }

    static let noOutputs = PromptError(
        kind: .noOutputs, nodeID: nil,
        reason: "the workflow has no output node (such as SaveImage or PreviewImage), so nothing would run",
        comfy: ComfyError(type: "prompt_no_outputs", message: "Prompt has no outputs", details: ""))
}
