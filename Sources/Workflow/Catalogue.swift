import Foundation

/// ComfyUI 0.8.0's node catalogue (`GET /object_info`), shipped as data so that conversion and
/// validation know every core node, including the many that SwiftComfy does not run.
public struct Catalogue: Sendable {
    public let schemas: [String: NodeSchema]

    public init(schemas: [String: NodeSchema]) { self.schemas = schemas }

    public subscript(name: String) -> NodeSchema? { schemas[name] }

    /// The catalogue shipped with SwiftComfy (`Resources/object_info.json`).
    public static let comfyUI: Catalogue = {
        do {
            guard let url = Bundle.module.url(forResource: "object_info", withExtension: "json",
                                              subdirectory: "Resources") else {
                fatalError("SwiftComfy's resource bundle lacks Resources/object_info.json")
            }
            return try Catalogue(objectInfo: Data(contentsOf: url))
        } catch {
            fatalError("SwiftComfy's bundled object_info.json is unreadable: \(error)")
        }
    }()

    public enum LoadError: Error, CustomStringConvertible {
        case notAnObject
        case badEntry(String, String)
        public var description: String {
            switch self {
            case .notAnObject: return "object_info: the top level is not a JSON object"
            case let .badEntry(node, why): return "object_info: node \(node): \(why)"
            }
        }
    }

    /// Parses a `/object_info` answer.
    public init(objectInfo data: Data) throws {
        guard case .object(let top) = try JSONParser.parse(Array(data)) else { throw LoadError.notAnObject }
        var schemas: [String: NodeSchema] = [:]
        for (name, entry) in top {
            guard case .object(let info) = entry else { throw LoadError.badEntry(name, "not an object") }
            schemas[name] = try Self.schema(name: name, info: info)
        }
        self.schemas = schemas
    }

    static func schema(name: String, info: JSONObject) throws -> NodeSchema {
        let declared = info["input"]?.objectValue ?? JSONObject()
        let order = info["input_order"]?.objectValue ?? JSONObject()
        var inputs: [InputSpec] = []
        for section in [InputSpec.Section.required, .optional, .hidden] {
            guard let specs = declared[section.rawValue]?.objectValue else { continue }
            // Widget order comes from input_order; the saved catalogue's keys are sorted.
            let names = order[section.rawValue]?.arrayValue?.compactMap(\.stringValue) ?? specs.keys
            for inputName in names {
                guard let spec = specs[inputName] else {
                    throw LoadError.badEntry(name, "input_order names '\(inputName)', which is not declared")
                }
                inputs.append(try inputSpec(inputName, section: section, spec: spec, node: name))
            }
        }
        let types = info["output"]?.arrayValue ?? []
        let names = info["output_name"]?.arrayValue ?? []
        let lists = info["output_is_list"]?.arrayValue ?? []
        var outputs: [OutputSpec] = []
        for (k, t) in types.enumerated() {
            let type: String
            switch t {
            case .string(let s): type = s
            case .array: type = "COMBO"   // a combo list as output type
            default: throw LoadError.badEntry(name, "output \(k) has no type")
            }
            outputs.append(OutputSpec(type: type, name: k < names.count ? names[k].stringValue : nil,
                                      isList: k < lists.count ? lists[k].boolValue ?? false : false))
        }
        return NodeSchema(name: name,
                          displayName: info["display_name"]?.stringValue ?? name,
                          category: info["category"]?.stringValue ?? "",
                          description: info["description"]?.stringValue ?? "",
                          inputs: inputs, outputs: outputs,
                          isOutputNode: info["output_node"]?.boolValue ?? false,
                          raw: info)
    }

    /// One `/object_info` input spec: `["INT", {...}]`, `[["a", "b"], {...}]`, `["COMBO", {"options": [...]}]`.
    static func inputSpec(_ name: String, section: InputSpec.Section, spec: JSONValue, node: String) throws -> InputSpec {
        // Hidden inputs are often a bare type string: "prompt": "PROMPT".
        if case .string(let type) = spec { return InputSpec(name: name, section: section, type: type) }
        guard case .array(let parts) = spec, let head = parts.first else {
            throw LoadError.badEntry(node, "input '\(name)' is not [type, options]")
        }
        let options = parts.count > 1 ? parts[1].objectValue ?? JSONObject() : JSONObject()
        switch head {
        case .array(let choices):
            return InputSpec(name: name, section: section, type: "COMBO", choices: choices, options: options)
        case .string("COMBO"):
            return InputSpec(name: name, section: section, type: "COMBO",
                             choices: options["options"]?.arrayValue ?? [], options: options)
        case .string(let type):
            return InputSpec(name: name, section: section, type: type, options: options)
        default:
            throw LoadError.badEntry(node, "input '\(name)' has no type")
        }
    }
}
