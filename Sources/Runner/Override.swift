import Workflow

/// `--set NODE.INPUT=VALUE`: the value is JSON when it parses (`7`, `1.5`, `"text"`, `true`),
/// otherwise the text itself.
public struct Override: Equatable, Sendable {
    public let node: String
    public let input: String
    public let value: JSONValue

    public init(node: String, input: String, value: JSONValue) {
        self.node = node
        self.input = input
        self.value = value
    }

    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw OverrideError("'\(text)' is not NODE.INPUT=VALUE")
        }
        let target = text[..<eq]
        guard let dot = target.firstIndex(of: "."), dot != target.startIndex, target.index(after: dot) != target.endIndex else {
            throw OverrideError("'\(text)' is not NODE.INPUT=VALUE (the left side needs a node id and an input name)")
        }
        node = String(target[..<dot])
        input = String(target[target.index(after: dot)...])
        let raw = String(text[text.index(after: eq)...])
        value = (try? JSONParser.parse(raw)) ?? .string(raw)
    }

    /// `"3.seed=5;6.text=a cat"`.
    public static func list(_ text: String) throws -> [Override] {
        try text.split(separator: ";", omittingEmptySubsequences: true).map { try Override(parsing: String($0)) }
    }

    public func apply(to prompt: inout JSONObject) throws {
        guard case .object(var node)? = prompt[self.node] else {
            throw OverrideError("--set \(self.node).\(input): the workflow has no node \(self.node)")
        }
        var inputs = node["inputs"]?.objectValue ?? JSONObject()
        inputs[input] = value
        node["inputs"] = .object(inputs)
        prompt[self.node] = .object(node)
    }
}

/// A `--set`/`--rerun` text that is not `NODE.INPUT=VALUE`, or names a node the prompt lacks.
public struct OverrideError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
