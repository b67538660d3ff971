/// Builds each `NodeInputError` with ComfyUI's exact wire text and SwiftComfy's human reason.
struct Problems {
    let nodeID: String
    let classType: String
    let spec: InputSpec

    private var name: JSONValue { .string(spec.name) }

    private func make(_ kind: NodeInputError.Kind, _ reason: String, _ comfy: ComfyError) -> NodeInputError {
        NodeInputError(kind: kind, nodeID: nodeID, classType: classType, input: spec.name, reason: reason, comfy: comfy)
    }

    static func missing(_ id: String, _ type: String, _ spec: InputSpec) -> NodeInputError {
        Problems(nodeID: id, classType: type, spec: spec).make(
            .requiredInputMissing, "required input is missing",
            ComfyError(type: "required_input_missing", message: "Required input is missing", details: spec.name,
                       extraInfo: ["input_name": .string(spec.name)]))
    }

    static func badLink(_ id: String, _ type: String, _ spec: InputSpec, _ value: JSONValue) -> NodeInputError {
        Problems(nodeID: id, classType: type, spec: spec).make(
            .badLinkedInput, "bad link \(value.serialized()): a link is [node_id, output_index]",
            ComfyError(type: "bad_linked_input", message: "Bad linked input, must be a length-2 list of [node_id, slot_index]",
                       details: spec.name,
                       extraInfo: ["input_name": .string(spec.name), "input_config": spec.inputConfig, "received_value": value]))
    }

    static func mismatch(_ id: String, _ type: String, _ spec: InputSpec, link: JSONValue, received: String,
                         source: String, graph: PromptGraph) -> NodeInputError {
        let slot = link.arrayValue?.last.map { PythonText.str($0) } ?? "?"
        let inputType = TypeMatch.display(spec)
        return Problems(nodeID: id, classType: type, spec: spec).make(
            .returnTypeMismatch,
            "output \(slot) of node \(source) (\(graph.classType(source))) is \(received), but this input takes \(inputType)",
            ComfyError(type: "return_type_mismatch", message: "Return type mismatch between linked nodes",
                       details: "\(spec.name), received_type(\(received)) mismatch input_type(\(inputType))",
                       extraInfo: ["input_name": .string(spec.name), "input_config": spec.inputConfig,
                                   "received_type": .string(received), "linked_node": link]))
    }

    func invalidType(_ value: JSONValue, _ exception: String) -> NodeInputError {
        make(.invalidInputType, "value \(PythonText.repr(value)) is not a valid \(spec.type) (\(exception))",
             ComfyError(type: "invalid_input_type", message: "Failed to convert an input value to a \(spec.type) value",
                        details: "\(spec.name), \(PythonText.str(value)), \(exception)",
                        extraInfo: ["input_name": name, "input_config": spec.inputConfig, "received_value": value,
                                    "exception_message": .string(exception)]))
    }

    func smaller(_ value: JSONValue, _ min: JSONValue) -> NodeInputError {
        let (v, m) = (PythonText.str(value), PythonText.str(min))
        return make(.valueSmallerThanMin, "value \(v) is smaller than min \(m)",
                    ComfyError(type: "value_smaller_than_min", message: "Value \(v) smaller than min of \(m)", details: spec.name,
                               extraInfo: ["input_name": name, "input_config": spec.inputConfig, "received_value": value]))
    }

    func bigger(_ value: JSONValue, _ max: JSONValue) -> NodeInputError {
        let (v, m) = (PythonText.str(value), PythonText.str(max))
        return make(.valueBiggerThanMax, "value \(v) is bigger than max \(m)",
                    ComfyError(type: "value_bigger_than_max", message: "Value \(v) bigger than max of \(m)", details: spec.name,
                               extraInfo: ["input_name": name, "input_config": spec.inputConfig, "received_value": value]))
    }

    /// `value_not_in_list`; lists longer than 20 print `(list of length N)` and drop `input_config`.
    func notInList(_ value: JSONValue, choices: [JSONValue], reason: String?) -> NodeInputError {
        let long = choices.count > 20
        let listInfo = long ? "(list of length \(choices.count))" : PythonText.repr(.array(choices))
        var config = spec
        config.choices = choices
        let human = reason ?? (choices.count <= 10
            ? "\(PythonText.repr(value)) is not one of: \(choices.map(PythonText.str).joined(separator: ", "))"
            : "\(PythonText.repr(value)) is not one of the \(choices.count) allowed values")
        return make(.valueNotInList, human,
                    ComfyError(type: "value_not_in_list", message: "Value not in list",
                               details: "\(spec.name): '\(PythonText.str(value))' not in \(listInfo)",
                               extraInfo: ["input_name": name, "input_config": long ? .null : config.inputConfig,
                                           "received_value": value]))
    }
}
