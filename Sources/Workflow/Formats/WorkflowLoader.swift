import Foundation

/// Which of ComfyUI's two JSON formats a file is in.
public enum WorkflowFormat: String, Sendable {
    /// `{"3": {"class_type": "KSampler", "inputs": {...}}}`: what `POST /prompt` executes.
    case api
    /// The UI export: `nodes`, `links`, `widgets_values`, ...
    case ui
}

/// A loaded workflow file: the API prompt to execute, and the UI graph when the file was a UI
/// export (SaveImage writes it into the PNG's `workflow` chunk).
public struct LoadedWorkflow: Sendable {
    public var prompt: JSONObject
    public var format: WorkflowFormat
    public var workflow: JSONObject?

    public init(prompt: JSONObject, format: WorkflowFormat, workflow: JSONObject?) {
        self.prompt = prompt
        self.format = format
        self.workflow = workflow
    }
}

/// Reads either format: an API prompt is returned as is; a UI export is converted the way
/// frontend 1.35.9's `graphToPrompt` does it (`UIToAPI`).
public enum WorkflowLoader {
    public static func load(data: Data, catalogue: Catalogue = .comfyUI) throws -> LoadedWorkflow {
        try load(data: data, catalogue: catalogue, options: UIToAPI.Options())
    }

    public static func load(data: Data, catalogue: Catalogue, options: UIToAPI.Options) throws -> LoadedWorkflow {
        let bytes = Array(data)
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) || bytes == [0xEF, 0xBB, 0xBF] {
            throw WorkflowLoadError.emptyFile
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch let error as JSONParser.Error {
            throw WorkflowLoadError.malformedJSON(error)
        }
        guard case .object(let top) = value else { throw WorkflowLoadError.wrongTopLevel(describe(value)) }
        switch try detect(top) {
        case .api:
            return LoadedWorkflow(prompt: top, format: .api, workflow: nil)
        case .ui:
            let prompt = try UIToAPI.convert(top, catalogue: catalogue, options: options)
            return LoadedWorkflow(prompt: prompt, format: .ui, workflow: top)
        }
    }

    /// UI: `nodes` and `links` (an export always has both, even when empty). API: every value is
    /// an object and at least one carries `class_type` (entries without one are left for
    /// validation to report, as ComfyUI does).
    public static func detect(_ top: JSONObject) throws -> WorkflowFormat {
        if top["nodes"] != nil, top["links"] != nil { return .ui }
        if top.isEmpty { throw WorkflowLoadError.emptyObject }
        let allObjects = top.allSatisfy { $0.value.objectValue != nil }
        if allObjects, top.contains(where: { $0.value["class_type"] != nil }) { return .api }
        if top["nodes"] != nil { throw WorkflowLoadError.neitherFormat("it has 'nodes' but no 'links'") }
        let sample = top.keys.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        throw WorkflowLoadError.neitherFormat("its keys (\(sample)\(top.count > 3 ? ", ..." : "")) are not node ids with 'class_type', and it has no 'nodes'/'links'")
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .array: return "an array"
        case .string: return "a string"
        case .int, .uint, .bigInt, .double: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .object: return "an object"
        }
    }
}

/// Why a workflow file could not be read. Every message is meant for a person.
public enum WorkflowLoadError: Error, Equatable, CustomStringConvertible {
    case emptyFile
    case malformedJSON(JSONParser.Error)
    /// The top-level JSON value is not an object (the associated text says what it is).
    case wrongTopLevel(String)
    case emptyObject
    case neitherFormat(String)
    case badUIGraph(String)
    case badNode(id: String?, index: Int, place: String, reason: String)
    case badLink(index: Int, place: String, reason: String)
    case badSubgraph(id: String?, reason: String)
    /// A cycle through reroutes, bypassed nodes or subgraph borders (the frontend throws too).
    case circularLink(nodeID: String, input: String)
    case linkChainTooLong(nodeID: String)

    public var description: String {
        let head = "the file is not a ComfyUI workflow: "
        switch self {
        case .emptyFile:
            return head + "it is empty"
        case .malformedJSON(let e):
            return head + "\(e)"
        case .wrongTopLevel(let what):
            return head + "its top level is \(what), not a JSON object (an API prompt or a UI export)"
        case .emptyObject:
            return head + "it is an empty JSON object"
        case .neitherFormat(let why):
            return head + "it is neither an API prompt nor a UI export: \(why)"
        case .badUIGraph(let why):
            return "UI workflow: \(why)"
        case let .badNode(id, index, place, reason):
            let who = id.map { "node \($0)" } ?? "node entry \(index)"
            return "UI workflow: \(who)\(place) \(reason)"
        case let .badLink(index, place, reason):
            return "UI workflow: link entry \(index)\(place) \(reason)"
        case let .badSubgraph(id, reason):
            return "UI workflow: subgraph \(id.map { "\($0)" } ?? "definitions"): \(reason)"
        case let .circularLink(nodeID, input):
            return "UI workflow: input '\(input)' of node \(nodeID) leads back to itself through reroutes, bypassed nodes or subgraphs"
        case .linkChainTooLong(let nodeID):
            return "UI workflow: a link into node \(nodeID) passes through more than \(ExecutableGraph.maxChain) reroutes, bypassed nodes or subgraph borders"
        }
    }
}
