import Execution
import Foundation

/// Per-node progress on stderr: `[3] KSampler ... 12.41s`, sampler steps, then a summary.
enum ConsoleProgress {
    static func observer(types: [String: String]) -> ExecutionObserver {
        { event in
            switch event {
            case .started(let cached):
                if !cached.isEmpty { Console.error("cached: " + cached.joined(separator: ", ")) }
            case let .nodeStarted(id, type):
                Console.error("[\(id)] \(type) ...")
            case let .progress(id, value, max):
                Console.error("[\(id)] step \(value)/\(max)")
            case let .nodeFinished(id, type, seconds, _):
                Console.error("[\(id)] \(type) done in \(String(format: "%.2f", seconds))s")
            case .cachedOutput:
                break
            }
        }
    }

    static func finish(_ s: RunSummary) {
        let total = s.seconds.values.reduce(0, +)
        print("ran \(s.executed.count) nodes (\(s.cached.count) cached) in \(String(format: "%.2f", total))s")
        for file in s.outputs { print("wrote \(file.path)") }
    }
}
