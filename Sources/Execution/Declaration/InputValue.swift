import Workflow

/// What reaches a node for one input: a validated constant from the prompt, or the value an
/// upstream node returned (of whatever type that node produces: Execution never looks inside).
public enum InputArgument: Sendable {
    case constant(JSONValue)
    case linked(any Sendable)
}

/// A Swift type an `Input<T>` can deliver, with its ComfyUI type name.
public protocol InputValue: Sendable {
    /// ComfyUI's type: `INT`, `FLOAT`, `STRING`, `BOOLEAN`, `COMBO`, `MODEL`, `LATENT`, ...
    static var comfyType: String { get }
    static func from(_ argument: InputArgument, input: InputInfo) throws -> Self
}

/// A value that only arrives along links (MODEL, CLIP, LATENT, ...). Conform a type and declare
/// `Input<ThatType>("name")`: `execute` then receives exactly what the upstream node returned.
public protocol LinkValue: InputValue {}

extension LinkValue {
    public static func from(_ argument: InputArgument, input: InputInfo) throws -> Self {
        guard case .linked(let value) = argument, let typed = value as? Self else {
            throw ArgumentError.wrongValue(input: input.name, expected: "\(Self.self) (\(comfyType))", got: argument.summary)
        }
        return typed
    }
}

/// A combo whose choices are the cases of a String enum (`SamplerName`, `Scheduler`, ...).
public protocol ComboValue: InputValue, CaseIterable, RawRepresentable where RawValue == String {}

extension ComboValue {
    public static var comfyType: String { "COMBO" }
    public static func from(_ argument: InputArgument, input: InputInfo) throws -> Self {
        try argument.constant(for: input, expected: "one of \(allCases.map(\.rawValue))") {
            $0.stringValue.flatMap(Self.init(rawValue:))
        }
    }
}

extension Int: InputValue {
    public static var comfyType: String { "INT" }
    public static func from(_ argument: InputArgument, input: InputInfo) throws -> Int {
        try argument.constant(for: input, expected: "INT") { $0.isNumber ? $0.intValue : nil }
    }
}

/// INT inputs whose range reaches 2^64-1 (seeds).
extension UInt64: InputValue {
    public static var comfyType: String { "INT" }
    public static func from(_ argument: InputArgument, input: InputInfo) throws -> UInt64 {
        switch argument {
        case .constant(.uint(let u)): return u
        case .constant(.int(let i)) where i >= 0: return UInt64(i)
        default: throw ArgumentError.wrongValue(input: input.name, expected: "INT in 0...2^64-1", got: argument.summary)
        }
    }
}

extension Double: InputValue {
    public static var comfyType: String { "FLOAT" }
    public static func from(_ argument: InputArgument, input: InputInfo) throws -> Double {
        try argument.constant(for: input, expected: "FLOAT") { $0.isNumber ? $0.doubleValue : nil }
    }
}

/// STRING inputs, and combos declared with a plain list of choices.
extension String: InputValue {
    public static var comfyType: String { "STRING" }
    public static func from(_ argument: InputArgument, input: InputInfo) throws -> String {
        try argument.constant(for: input, expected: "STRING") { $0.stringValue }
    }
}

extension Bool: InputValue {
    public static var comfyType: String { "BOOLEAN" }
    public static func from(_ argument: InputArgument, input: InputInfo) throws -> Bool {
        try argument.constant(for: input, expected: "BOOLEAN") { $0.boolValue }
    }
}

/// Hidden inputs (`PROMPT`, `EXTRA_PNGINFO`, `UNIQUE_ID`) arrive as JSON.
extension JSONValue: InputValue {
    public static var comfyType: String { "*" }
    public static func from(_ argument: InputArgument, input: InputInfo) throws -> JSONValue {
        try argument.constant(for: input, expected: "a JSON value") { $0 }
    }
}

/// A model file named by a combo of model files (`ckpt_name`, `lora_name`, ...); resolve it with
/// `NodeContext.path(of:)`.
public struct ModelFile: InputValue, Equatable {
    public static var comfyType: String { "COMBO" }
    /// ComfyUI's folder key (`checkpoints`, `loras`, `vae`, `text_encoders`, `diffusion_models`).
    public let folder: String
    /// The name as the workflow wrote it (Windows `\` allowed).
    public let name: String

    public init(folder: String, name: String) {
        self.folder = folder
        self.name = name
    }

    public static func from(_ argument: InputArgument, input: InputInfo) throws -> ModelFile {
        guard case .constant(.string(let s)) = argument, let folder = input.modelFolder else {
            throw ArgumentError.wrongValue(input: input.name, expected: "a model file name", got: argument.summary)
        }
        return ModelFile(folder: folder, name: s)
    }
}

/// A file of ComfyUI's input folder (LoadImage `image`, LoadLatent `latent`).
public struct InputFile: InputValue, Equatable {
    public static var comfyType: String { "COMBO" }
    public let name: String

    public static func from(_ argument: InputArgument, input: InputInfo) throws -> InputFile {
        InputFile(name: try argument.constant(for: input, expected: "a file name") { $0.stringValue })
    }
}

public enum ArgumentError: Error, CustomStringConvertible {
    case missing(input: String)
    case wrongValue(input: String, expected: String, got: String)

    public var description: String {
        switch self {
        case .missing(let input): return "input '\(input)' has no value"
        case let .wrongValue(input, expected, got): return "input '\(input)' expects \(expected), got \(got)"
        }
    }
}

extension InputArgument {
    /// The constant as `extract` reads it; a linked value, or one `extract` refuses, is an error
    /// naming the input and what it expects.
    func constant<T>(for input: InputInfo, expected: String, _ extract: (JSONValue) -> T?) throws -> T {
        guard case .constant(let v) = self, let value = extract(v) else {
            throw ArgumentError.wrongValue(input: input.name, expected: expected, got: summary)
        }
        return value
    }

    var summary: String {
        switch self {
        case .constant(let v): return v.serialized()
        case .linked(let v): return "a linked \(type(of: v))"
        }
    }
}
