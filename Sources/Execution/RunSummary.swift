import Foundation
import Workflow

/// What one run did: the CLI's `--report` entry.
public struct RunSummary: Sendable {
    /// Nodes that ran, in order.
    public var executed: [String] = []
    /// Prompt nodes whose output was reused, in prompt order (ComfyUI's `execution_cached`).
    public var cached: [String] = []
    /// Seconds per executed node.
    public var seconds: [String: Double] = [:]
    /// Files the run's output nodes produced (cached outputs report their earlier files).
    public var outputs: [URL] = []
    /// ComfyUI's history `outputs`: the UI result of every output node of the run, cached ones included.
    public var ui: [String: JSONObject] = [:]
}

extension RunSummary {
    /// The CLI report entry: `{"executed": [ids], "cached": [ids], "seconds": {id: s}, "outputs": [paths]}`.
    public var reportJSON: JSONValue {
        var secs = JSONObject()
        for id in executed { secs[id] = .double(seconds[id] ?? 0) }
        return .object(JSONObject([
            ("executed", .array(executed.map { .string($0) })),
            ("cached", .array(cached.map { .string($0) })),
            ("seconds", .object(secs)),
            ("outputs", .array(outputs.map { .string($0.path) })),
        ]))
    }
}
