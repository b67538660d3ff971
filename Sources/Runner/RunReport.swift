import Execution
import Foundation
import Workflow

/// `--report FILE.json`: `{"runs": [{"executed": [ids], "cached": [ids], "seconds": {id: s},
/// "outputs": [paths], "total_seconds": s, "skipped_outputs": [ids], "node_errors": {...}}, ...]}`,
/// one entry per run in order; `node_errors` is ComfyUI's (as `POST /prompt` answers beside a
/// queued prompt), `{}` when every output passed validation.
public struct RunReport: Sendable {
    public let runs: [TimedRun]

    public init(runs: [TimedRun]) { self.runs = runs }

    public var json: JSONValue {
        .object(JSONObject([("runs", .array(runs.map { run in
            guard case .object(var entry) = run.summary.reportJSON else { return run.summary.reportJSON }
            entry["total_seconds"] = .double(run.seconds)
            entry["skipped_outputs"] = .array(run.skippedOutputs.map { .string($0) })
            entry["node_errors"] = ValidationReport.json(run.nodeErrors)
            return .object(entry)
        }))]))
    }

    public func write(to url: URL) throws {
        do {
            try Data((json.serialized(.pretty) + "\n").utf8).write(to: url, options: .atomic)
        } catch {
            throw ReportError(description: "cannot write the report \(url.path): \(error.localizedDescription)")
        }
    }

    public struct ReportError: Error, CustomStringConvertible {
        public let description: String
    }
}
