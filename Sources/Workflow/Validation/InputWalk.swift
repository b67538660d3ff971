import Foundation

/// ComfyUI's depth-first `validate_inputs` through links from each output node, memoised per node.
struct InputWalk {
    struct Result { var valid: Bool; var errors: [NodeInputError] }

    /// Python's exception from looking up a broken link (`prompt[id]` KeyError, `RETURN_TYPES[slot]`
    /// IndexError/TypeError). ComfyUI records it one level up, on the node holding the link.
    struct LinkFailure: Error {
        let kind: NodeInputError.Kind      // .linkedNodeMissing or .linkedOutputMissing
        let input: String                  // the broken input of the failing node
        let reason: String
        let exceptionType: String
        let exceptionMessage: String
    }

    var graph: PromptGraph
    let validator: PromptValidator
    private let listings: FileListings
    private(set) var results: [String: Result] = [:]
    /// Position of each node in the order its result was first recorded.
    private var resultPosition: [String: Int] = [:]
    /// Failed nodes with errors not yet attributed to a failed output.
    private var unattributed: Set<String> = []
    /// The failed outputs, in order; a failed node's `dependent_outputs` are those from the one
    /// during which it was first attributed on (`firstOutput`), so the lists share one array and
    /// attribution costs O(new failures) per output, not O(nodes seen).
    private var failedOutputs: [String] = []
    private var firstOutput: [String: Int] = [:]
    private var errorOrder: [String] = []
    private var depth = 0
    static let maximumDepth = 800

    init(graph: PromptGraph, validator: PromptValidator) {
        self.graph = graph
        self.validator = validator
        self.listings = FileListings(validator.files.models)
    }

    mutating func record(_ id: String, _ r: Result) {
        if resultPosition[id] == nil { resultPosition[id] = resultPosition.count }
        results[id] = r
        if !r.valid, !r.errors.isEmpty, firstOutput[id] == nil { unattributed.insert(id) }
    }

    /// Pre-marks every node on a cycle reachable from the outputs, so the walk never loops.
    mutating func markCycles(from outputs: [String]) {
        for cycle in CycleFinder.cycles(in: graph, from: outputs) {
            let path = (cycle.map(\.node) + [cycle[0].node]).joined(separator: " -> ")
            for step in cycle {
                let type = graph.classType(step.node)
                let error = NodeInputError(
                    kind: .dependencyCycle, nodeID: step.node, classType: type, input: step.input,
                    reason: "the workflow has a dependency cycle: \(path)",
                    comfy: ComfyError(type: "dependency_cycle", message: "Dependency cycle detected",
                                      details: "\(step.input): \(path)", extraInfo: ["input_name": .string(step.input)]))
                record(step.node, Result(valid: false, errors: (results[step.node]?.errors ?? []) + [error]))
            }
        }
    }

    /// Validates one output; a broken link on the output itself becomes `exception_during_validation`.
    mutating func validateOutput(_ id: String) -> Bool {
        do {
            return try validate(id).valid
        } catch let f as LinkFailure {
            let comfy = ComfyError(type: "exception_during_validation", message: "Exception when validating node",
                                   details: f.exceptionMessage,
                                   extraInfo: ["exception_type": .string(f.exceptionType), "traceback": []])
            record(id, Result(valid: false, errors: [error(f, on: id, comfy: comfy)]))
            return false
        } catch {
            return false
        }
    }

    /// `node_errors[id]["dependent_outputs"].append(o)` for every failed node seen so far
    /// (ComfyUI's loop over all validated nodes; a failed node's result never changes after).
    mutating func attribute(failedOutput o: String) {
        let new = unattributed.sorted { resultPosition[$0, default: 0] < resultPosition[$1, default: 0] }
        for id in new {
            errorOrder.append(id)
            firstOutput[id] = failedOutputs.count
        }
        unattributed.removeAll(keepingCapacity: true)
        failedOutputs.append(o)
    }

    func nodeErrors() -> [ValidationReport.NodeErrors] {
        errorOrder.compactMap { id in
            guard let r = results[id], let first = firstOutput[id] else { return nil }
            return .init(nodeID: id, classType: graph.classType(id), errors: r.errors, dependentOutputs: failedOutputs[first...])
        }
    }

    func error(_ f: LinkFailure, on id: String, comfy: ComfyError) -> NodeInputError {
        NodeInputError(kind: f.kind, nodeID: id, classType: graph.classType(id), input: f.input, reason: f.reason, comfy: comfy)
    }

    mutating func validate(_ id: String) throws -> Result {
        if let r = results[id] { return r }
        guard let schema = graph.schemas[id] else { return Result(valid: false, errors: []) }
        let type = graph.classType(id)
        var errors: [NodeInputError] = []
        var valid = true
        if depth >= Self.maximumDepth {
            let reason = "the workflow nests more than \(Self.maximumDepth) nodes deep"
            let e = NodeInputError(kind: .badLinkedInput, nodeID: id, classType: type, input: "", reason: reason,
                                   comfy: ComfyError(type: "exception_during_validation", message: "Exception when validating node",
                                                     details: reason, extraInfo: ["exception_type": "RecursionError", "traceback": []]))
            record(id, Result(valid: false, errors: [e]))
            return results[id] ?? Result(valid: false, errors: [e])
        }
        depth += 1
        defer { depth -= 1 }
        let inputs = graph.inputs(id)
        for spec in schema.inputs where spec.section != .hidden {
            guard let value = inputs[spec.name] else {
                if spec.section == .required { errors.append(Problems.missing(id, type, spec)) }
                continue
            }
            guard case .array(let link) = value else {
                var checker = ConstantCheck(nodeID: id, classType: type, spec: spec, validator: validator, listings: listings)
                if let e = checker.check(value) { errors.append(e) }
                if let coerced = checker.coerced { graph.setInput(id, spec.name, coerced) }
                continue
            }
            if link.count != 2 {
                errors.append(Problems.badLink(id, type, spec, value))
                continue
            }
            let (source, received) = try lookUp(link, input: spec.name)
            if !TypeMatch.accepts(received: received, input: spec) {
                errors.append(Problems.mismatch(id, type, spec, link: value, received: received, source: source, graph: graph))
                continue
            }
            do {
                if try !validate(source).valid { valid = false }
            } catch let f as LinkFailure {
                valid = false
                let comfy = ComfyError(
                    type: "exception_during_inner_validation", message: "Exception when validating inner node",
                    details: f.exceptionMessage,
                    extraInfo: ["input_name": .string(spec.name), "input_config": spec.inputConfig,
                                "exception_message": .string(f.exceptionMessage), "exception_type": .string(f.exceptionType),
                                "traceback": [], "linked_node": value])
                record(source, Result(valid: false, errors: [error(f, on: source, comfy: comfy)]))
            }
        }
        let r = Result(valid: valid && errors.isEmpty, errors: errors)
        record(id, r)
        return r
    }

    /// `prompt[o_id]['class_type']` then `RETURN_TYPES[slot]`, failing as Python does.
    func lookUp(_ link: [JSONValue], input: String) throws -> (source: String, type: String) {
        guard case .string(let source) = link[0], graph.schemas[source] != nil else {
            let key = PythonText.repr(link[0])
            throw LinkFailure(kind: .linkedNodeMissing, input: input,
                              reason: "links to node \(PythonText.str(link[0])), which is not in the workflow",
                              exceptionType: "KeyError", exceptionMessage: key)
        }
        let outputs = graph.schemas[source]?.outputs ?? []
        let sourceName = "node \(source) (\(graph.classType(source)))"
        guard case .int(let slot) = link[1] else {
            throw LinkFailure(kind: .linkedOutputMissing, input: input,
                              reason: "links to output \(PythonText.repr(link[1])) of \(sourceName); an output index is a number",
                              exceptionType: "TypeError",
                              exceptionMessage: "tuple indices must be integers or slices, not \(PythonText.typeName(link[1]))")
        }
        guard slot >= 0, slot < outputs.count else {
            let has = outputs.count == 1 ? "1 output" : "\(outputs.count) outputs"
            throw LinkFailure(kind: .linkedOutputMissing, input: input,
                              reason: "links to output \(slot) of \(sourceName), which has \(has)",
                              exceptionType: "IndexError", exceptionMessage: "tuple index out of range")
        }
        return (source, outputs[Int(slot)].type)
    }
}

/// `comfy_execution/validation.py::validate_node_input` (non-strict).
enum TypeMatch {
    static func accepts(received: String, input spec: InputSpec) -> Bool {
        // A v1 combo's input type is its list of options: only `*` or a list-typed output matches.
        if spec.type == "COMBO" && spec.options["multiselect"] == nil {
            return received == "*" || received == "COMBO"
        }
        return accepts(received: received, input: spec.type)
    }

    static func accepts(received: String, input: String) -> Bool {
        if received == input { return true }
        let any = "*", match = "COMFY_MATCHTYPE_V3"
        if [received, input].contains(any) || [received, input].contains(match) { return true }
        let r = Set(received.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let i = Set(input.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if r.contains(any) || i.contains(any) { return true }
        return !r.isDisjoint(with: i)
    }

    /// How ComfyUI prints an input type in a mismatch message (a v1 combo prints its list).
    static func display(_ spec: InputSpec) -> String {
        if spec.type == "COMBO" && spec.options["multiselect"] == nil {
            return PythonText.repr(.array(spec.choices ?? []))
        }
        return spec.type
    }
}
