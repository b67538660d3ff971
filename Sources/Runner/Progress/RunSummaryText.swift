import Execution
import Foundation

/// The summary printed after a run (stdout): wall time, the nodes that ran with their times,
/// how many were cached, and the files written.
public enum RunSummaryText {
    public static func lines(_ run: TimedRun, types: [String: String]) -> [String] {
        let s = run.summary
        let ran = s.executed.map { "[\($0)] \(types[$0] ?? "?") \(ProgressPrinter.seconds(s.seconds[$0] ?? 0))" }
        var head = "done in \(ProgressPrinter.seconds(run.seconds)): \(s.executed.count) node\(s.executed.count == 1 ? "" : "s") ran"
        if !ran.isEmpty { head += " (" + ran.joined(separator: ", ") + ")" }
        head += ", \(s.cached.count) cached"
        return [head] + s.outputs.map { "saved \(relative($0))" }
    }

    /// A path relative to the current directory when it lies below it.
    static func relative(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}
