import Execution
import Foundation
import Workflow

/// Test-only arithmetic nodes that count their own runs (as ComfyUI's tests/execution do with stub
/// nodes). The counter is task-local, so parallel tests never share one.
final class RunCounter: @unchecked Sendable {
    @TaskLocal static var current: RunCounter?

    private let lock = NSLock()
    private var runs: [String: Int] = [:]
    private var shown: [String: Double] = [:]

    func record(_ id: String) { lock.lock(); runs[id, default: 0] += 1; lock.unlock() }
    func show(_ id: String, _ v: Double) { lock.lock(); shown[id] = v; lock.unlock() }

    var byNode: [String: Int] { lock.lock(); defer { lock.unlock() }; return runs }
    var values: [String: Double] { lock.lock(); defer { lock.unlock() }; return shown }
}

struct Number: LinkValue {
    static let comfyType = "NUMBER"
    let value: Double
}

enum Num: NodeDefinition {
    static let value = Input<Double>("value", default: 0, min: -1000, max: 1000)
    static let declaration = NodeDeclaration("Num", category: "test", inputs: [value], outputs: [OutputSpec(type: "NUMBER")])
    static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        RunCounter.current?.record(ctx.nodeID)
        return NodeOutput(Number(value: try a[value]))
    }
}

enum Add: NodeDefinition {
    static let a = Input<Number>("a"), b = Input<Number>("b")
    static let declaration = NodeDeclaration("Add", category: "test", inputs: [a, b], outputs: [OutputSpec(type: "NUMBER")])
    static func execute(_ args: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        RunCounter.current?.record(ctx.nodeID)
        return NodeOutput(Number(value: try args[a].value + args[b].value))
    }
}

enum Scale: NodeDefinition {
    static let x = Input<Number>("x")
    static let factor = Input<Double>("factor", default: 1, min: -100, max: 100)
    static let steps = Input<Int>("steps", default: 0, min: 0, max: 10)
    static let declaration = NodeDeclaration("Scale", category: "test", inputs: [x, factor, steps], outputs: [OutputSpec(type: "NUMBER")])
    static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        RunCounter.current?.record(ctx.nodeID)
        let n = try a[steps]
        for i in 0..<n { try ctx.progress(i + 1, of: n, preview: ctx.wantsPreviews ? StepPicture(step: i + 1) : nil) }
        return NodeOutput(Number(value: try a[x].value * a[factor]))
    }
}

enum Show: NodeDefinition {
    static let x = Input<Number>("x")
    static let declaration = NodeDeclaration("Show", category: "test", inputs: [x], outputs: [], isOutputNode: true)
    static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        RunCounter.current?.record(ctx.nodeID)
        RunCounter.current?.show(ctx.nodeID, try a[x].value)
        return NodeOutput(values: [], ui: JSONObject([("value", .double(try a[x].value))]))
    }
}

struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }

enum Fail: NodeDefinition {
    static let x = Input<Number>("x")
    static let fail = Input<Bool>("fail", options: ["default": true])
    static let declaration = NodeDeclaration("Fail", category: "test", inputs: [x, fail], outputs: [OutputSpec(type: "NUMBER")])
    static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput {
        RunCounter.current?.record(ctx.nodeID)
        if try a[fail] { throw Boom() }
        return NodeOutput(try a[x])
    }
}

/// Scale's preview payload when the run asks for previews.
struct StepPicture: ProgressPreview { let step: Int }

/// A prompt ran into validation problems (the lines `swiftcomfy validate` prints).
struct InvalidPrompt: Error, CustomStringConvertible {
    let lines: [String]
    var description: String { lines.joined(separator: "\n") }
}

extension Executor {
    /// Validates `prompt` against `types` (default: this executor's nodes), as the Runner does,
    /// then runs what passed: the executor takes nothing else.
    func validateAndRun(_ prompt: JSONObject, types: NodeRegistry? = nil, environment: RunEnvironment,
                        observer: ExecutionObserver? = nil, previews: Bool = false) throws -> RunSummary {
        let files = ValidationFiles(models: environment.models, inputDirectory: environment.inputDirectory)
        let report = PromptValidator(types: (types ?? registry).nodeTypes(), files: files).validate(prompt)
        guard let validated = report.validated else { throw InvalidPrompt(lines: report.lines) }
        return try run(validated, environment: environment, observer: observer, previews: previews)
    }
}

enum Stubs {
    static let registry = NodeRegistry([Num.self, Add.self, Scale.self, Show.self, Fail.self])

    static var environment: RunEnvironment {
        let tmp = URL(fileURLWithPath: NSTemporaryDirectory())
        return RunEnvironment(models: ModelFolders(roots: []), outputDirectory: tmp, inputDirectory: tmp, tempDirectory: tmp)
    }

    static func node(_ type: String, _ inputs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject([("class_type", .string(type)), ("inputs", .object(JSONObject(inputs)))]))
    }

    static func link(_ id: String, _ slot: Int64 = 0) -> JSONValue { [.string(id), .int(slot)] }

    /// 1, 2 -> Add 3 -> Scale 4 -> Show 5; Num 6 feeds nothing; Show 7 shows 2.
    static var diamond: JSONObject {
        JSONObject([
            ("1", node("Num", [("value", 2)])),
            ("2", node("Num", [("value", 3)])),
            ("3", node("Add", [("a", link("1")), ("b", link("2"))])),
            ("4", node("Scale", [("x", link("3")), ("factor", 10), ("steps", 0)])),
            ("5", node("Show", [("x", link("4"))])),
            ("6", node("Num", [("value", 99)])),
            ("7", node("Show", [("x", link("2"))])),
        ])
    }

    static func setting(_ p: JSONObject, _ id: String, _ input: String, _ v: JSONValue) -> JSONObject {
        var p = p
        guard var node = p[id]?.objectValue, var inputs = node["inputs"]?.objectValue else { return p }
        inputs[input] = v
        node["inputs"] = .object(inputs)
        p[id] = .object(node)
        return p
    }

    static func run(_ executor: Executor, _ p: JSONObject, counter: RunCounter, types: NodeRegistry? = nil,
                    observer: ExecutionObserver? = nil, previews: Bool = false) throws -> RunSummary {
        try RunCounter.$current.withValue(counter) {
            try executor.validateAndRun(p, types: types, environment: environment, observer: observer, previews: previews)
        }
    }
}
