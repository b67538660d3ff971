import Workflow

/// `--set NODE.INPUT=VALUE`: the value is JSON when it parses (`7`, `1.5`, `"text"`, `true`),
/// otherwise the text itself.
struct Override: Equatable {
    let node: String
    let input: String
    let value: JSONValue

    init(node: String, input: String, value: JSONValue) {
        self.node = node
        self.input = input
        self.value = value
    }

    init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw CLIError("'\(text)' is not NODE.INPUT=VALUE")
        }
        let target = text[..<eq]
        guard let dot = target.firstIndex(of: "."), dot != target.startIndex, target.index(after: dot) != target.endIndex else {
            throw CLIError("'\(text)' is not NODE.INPUT=VALUE (the left side needs a node id and an input name)")
        }
        node = String(target[..<dot])
        input = String(target[target.index(after: dot)...])
        let raw = String(text[text.index(after: eq)...])
        value = (try? JSONParser.parse(raw)) ?? .string(raw)
    }

    /// `"3.seed=5;6.text=a cat"`.
    static func list(_ text: String) throws -> [Override] {
        try text.split(separator: ";", omittingEmptySubsequences: true).map { try Override(parsing: String($0)) }
    }

    func apply(to prompt: inout JSONObject) throws {
        guard case .object(var node)? = prompt[self.node] else {
            throw CLIError("--set \(self.node).\(input): the workflow has no node \(self.node)")
        }
        var inputs = node["inputs"]?.objectValue ?? JSONObject()
        inputs[input] = value
        node["inputs"] = .object(inputs)
        prompt[self.node] = .object(node)
    }
}
