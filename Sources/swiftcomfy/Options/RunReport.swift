import Execution
import Foundation
import Workflow

/// `--report FILE.json`: `{"runs": [{"executed": [ids], "cached": [ids], "seconds": {id: s},
/// "outputs": [paths]}, ...]}`, one entry per run in order.
struct RunReport {
    let runs: [RunSummary]

    var json: JSONValue {
        .object(JSONObject([("runs", .array(runs.map(Self.entry)))]))
    }

    static func entry(_ s: RunSummary) -> JSONValue {
        var seconds = JSONObject()
        for id in s.executed { seconds[id] = .double(s.seconds[id] ?? 0) }
        return .object(JSONObject([
            ("executed", .array(s.executed.map { .string($0) })),
            ("cached", .array(s.cached.map { .string($0) })),
            ("seconds", .object(seconds)),
            ("outputs", .array(s.outputs.map { .string($0.path) })),
        ]))
    }

    func write(to path: String) throws {
        do {
            try Data((json.serialized(.pretty) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot write the report \(path): \(error.localizedDescription)")
        }
    }
}
