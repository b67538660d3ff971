/// A node type's interface as ComfyUI's `/object_info` describes it: inputs in widget order,
/// outputs, whether it is an output node. Conversion, validation and `/object_info` all read this.
public struct NodeSchema: Sendable, Equatable {
    public var name: String
    public var displayName: String
    public var category: String
    public var description: String
    /// Required inputs first, then optional, then hidden, each in `input_order`.
    public var inputs: [InputSpec]
    public var outputs: [OutputSpec]
    public var isOutputNode: Bool
    /// The raw `/object_info` entry when the schema came from the catalogue (served as is).
    public var raw: JSONObject?

    public init(name: String, displayName: String? = nil, category: String = "", description: String = "",
                inputs: [InputSpec], outputs: [OutputSpec], isOutputNode: Bool = false, raw: JSONObject? = nil) {
        self.name = name
        self.displayName = displayName ?? name
        self.category = category
        self.description = description
        self.inputs = inputs
        self.outputs = outputs
        self.isOutputNode = isOutputNode
        self.raw = raw
    }

    public func input(named name: String) -> InputSpec? { inputs.first { $0.name == name } }
}

public struct OutputSpec: Sendable, Equatable {
    public var type: String         // "MODEL", "LATENT", "*", "IMAGE,MASK" ...
    public var name: String
    public var isList: Bool

    public init(type: String, name: String? = nil, isList: Bool = false) {
        self.type = type
        self.name = name ?? type
        self.isList = isList
    }
}

public struct InputSpec: Sendable, Equatable {
    public enum Section: String, Sendable { case required, optional, hidden }

    public var name: String
    public var section: Section
    /// `INT`, `FLOAT`, `STRING`, `BOOLEAN`, `COMBO`, or a link type (`MODEL`, `LATENT`, `*`, ...).
    public var type: String
    /// Combo choices (`type == "COMBO"`); for model-file combos, the catalogue's list, which the
    /// model folders replace at validation time.
    public var choices: [JSONValue]?
    /// The options dict exactly as `/object_info` gives it (`default`, `min`, `max`, `step`,
    /// `tooltip`, `forceInput`, `control_after_generate`, `dynamicPrompts`, `image_upload`, ...).
    public var options: JSONObject

    public init(name: String, section: Section = .required, type: String,
                choices: [JSONValue]? = nil, options: JSONObject = JSONObject()) {
        self.name = name
        self.section = section
        self.type = type
        self.choices = choices
        self.options = options
    }

    public var defaultValue: JSONValue? { options["default"] }
    public var min: Double? { options["min"]?.doubleValue }
    public var max: Double? { options["max"]?.doubleValue }
    public var forceInput: Bool { options["forceInput"]?.boolValue ?? false }

    /// Whether the frontend shows this input as a widget (and so gives it a `widgets_values` slot).
    public var isWidget: Bool {
        guard section != .hidden, !forceInput else { return false }
        return ["INT", "FLOAT", "STRING", "BOOLEAN", "COMBO"].contains(type)
    }

    /// `input_config` as ComfyUI reports it in validation errors: `[type or choices, options]`.
    public var inputConfig: JSONValue {
        if type == "COMBO", let choices, options["multiselect"] == nil {
            return .array([.array(choices), .object(options)])
        }
        if type == "COMBO", let choices {
            var o = options
            o["options"] = .array(choices)
            return .array([.string("COMBO"), .object(o)])
        }
        return .array([.string(type), .object(options)])
    }
}
