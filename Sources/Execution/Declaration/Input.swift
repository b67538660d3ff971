import Workflow

/// The facts about one declared input that are not in ComfyUI's schema.
public struct InputInfo: Sendable {
    public let name: String
    /// Model-file combos: the folder key whose files are the choices.
    public let modelFolder: String?
    /// Input-folder files (LoadImage): what kind of file, for "Invalid image file: ...".
    public let inputFileKind: String?
}

/// One declared input, type-erased, as a node's declaration lists them.
public protocol InputDeclaration: Sendable {
    var spec: InputSpec { get }
    var info: InputInfo { get }
}

/// A typed input: `Input<Int>("steps", default: 20, min: 1, max: 10000)`. Reading it from
/// `Arguments` gives an `Int`, so `execute` cannot read an undeclared or mistyped input.
public struct Input<T: InputValue>: InputDeclaration {
    public let spec: InputSpec
    public let info: InputInfo
    public var name: String { spec.name }

    /// The general form: type from `T`, options exactly as `/object_info` shows them.
    public init(_ name: String, _ section: InputSpec.Section = .required, type: String = T.comfyType,
                choices: [JSONValue]? = nil, options: JSONValue = [:],
                modelFolder: String? = nil, inputFileKind: String? = nil) {
        spec = InputSpec(name: name, section: section, type: type, choices: choices,
                         options: options.objectValue ?? JSONObject())
        info = InputInfo(name: name, modelFolder: modelFolder, inputFileKind: inputFileKind)
    }
}

extension Input where T == Int {
    public init(_ name: String, default d: Int, min: Int, max: Int, step: Int? = nil,
                _ section: InputSpec.Section = .required, options more: JSONValue = [:]) {
        var o: JSONValue = ["default": .int(Int64(d)), "min": .int(Int64(min)), "max": .int(Int64(max))]
        if let step { o = o.adding("step", .int(Int64(step))) }
        self.init(name, section, options: o.merging(more))
    }
}

extension Input where T == UInt64 {
    public init(_ name: String, default d: UInt64, min: UInt64, max: UInt64,
                _ section: InputSpec.Section = .required, options more: JSONValue = [:]) {
        let o: JSONValue = ["default": .exact(d), "min": .exact(min), "max": .exact(max)]
        self.init(name, section, options: o.merging(more))
    }
}

extension Input where T == Double {
    public init(_ name: String, default d: Double, min: Double, max: Double, step: Double? = nil,
                round: Double? = nil, _ section: InputSpec.Section = .required, options more: JSONValue = [:]) {
        var o: JSONValue = ["default": .double(d), "min": .double(min), "max": .double(max)]
        if let step { o = o.adding("step", .double(step)) }
        if let round { o = o.adding("round", .double(round)) }
        self.init(name, section, options: o.merging(more))
    }
}

extension Input where T == String {
    /// A combo with a fixed list of choices.
    public init(_ name: String, choices: [String], _ section: InputSpec.Section = .required, options: JSONValue = [:]) {
        self.init(name, section, type: "COMBO", choices: choices.map { .string($0) }, options: options)
    }
}

extension Input where T: ComboValue {
    /// A combo whose choices are `T.allCases`.
    public init(_ name: String, _ section: InputSpec.Section = .required, options: JSONValue = [:]) {
        self.init(name, section, type: "COMBO", choices: T.allCases.map { .string($0.rawValue) }, options: options)
    }
}

extension Input where T == ModelFile {
    /// A combo of the files in a model folder, plus fixed `extraChoices` (VAELoader's `pixel_space`).
    public init(_ name: String, folder: String, extraChoices: [String] = [], options: JSONValue = [:]) {
        self.init(name, .required, type: "COMBO", choices: extraChoices.map { .string($0) }, options: options,
                  modelFolder: folder)
    }
}

extension Input where T == InputFile {
    /// A combo of the files in the input folder; `kind` names them in errors ("image", "latent").
    public init(_ name: String, inputFile kind: String, options: JSONValue = [:]) {
        self.init(name, .required, type: "COMBO", choices: [], options: options, inputFileKind: kind)
    }
}

extension Input where T == JSONValue {
    /// A hidden input filled by the executor: `PROMPT`, `EXTRA_PNGINFO`, `UNIQUE_ID`.
    public init(hidden name: String, type: String) {
        self.init(name, .hidden, type: type)
    }
}

extension JSONValue {
    static func exact(_ u: UInt64) -> JSONValue { u <= UInt64(Int64.max) ? .int(Int64(u)) : .uint(u) }

    func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        var o = objectValue ?? JSONObject()
        o[key] = value
        return .object(o)
    }

    func merging(_ other: JSONValue) -> JSONValue {
        var o = objectValue ?? JSONObject()
        for (k, v) in other.objectValue ?? JSONObject() { o[k] = v }
        return .object(o)
    }
}
