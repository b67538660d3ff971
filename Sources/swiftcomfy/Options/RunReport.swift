import Execution
import Foundation
import Workflow

/// `--report FILE.json`: `{"runs": [{"executed": [ids], "cached": [ids], "seconds": {id: s},
/// "outputs": [paths]}, ...]}`, one entry per run in order.
struct RunReport {
    let runs: [RunSummary]

    var json: JSONValue {
        .object(JSONObject([("runs", .array(runs.map(\.reportJSON)))]))
    }

    func write(to path: String) throws {
        do {
            try Data((json.serialized(.pretty) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot write the report \(path): \(error.localizedDescription)")
        }
    }
}
