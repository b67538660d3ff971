import Execution
import Workflow

/// Why a run stopped, with the process exit status the CLI uses for it.
public enum RunFailure: Error, CustomStringConvertible {
    /// The exit status of a run that ended but skipped outputs that failed validation (ComfyUI ran
    /// the outputs that passed; `--strict` refuses such a prompt instead, exit status 1).
    public static let partialExitCode: Int32 = 3

    /// ComfyUI refuses the prompt (no output passed, a prompt-level problem) or, with `strict`,
    /// validation found any problem; nothing ran. Exit status 1.
    case invalid(ValidationReport)
    /// A node threw while running (its id and type are in the failure). Exit status 2.
    case nodeFailed(NodeFailure)
    /// Ctrl-C (or the server's interrupt) stopped the run. Exit status 130, as a shell reports SIGINT.
    case interrupted(Interrupted)
    /// The prompt could not be scheduled (validation should have caught it). Exit status 2.
    case unschedulable(ScheduleError)

    public var exitCode: Int32 {
        switch self {
        case .invalid: return 1
        case .nodeFailed, .unschedulable: return 2
        case .interrupted: return 130
        }
    }

    /// The lines to print: one per validation problem, else one line.
    public var lines: [String] {
        switch self {
        case .invalid(let report): return report.lines
        default: return [description]
        }
    }

    public var description: String {
        switch self {
        case .invalid(let report): return report.lines.joined(separator: "\n")
        case .nodeFailed(let f): return f.description
        case .interrupted(let i): return i.description
        case .unschedulable(let s): return s.description
        }
    }
}
