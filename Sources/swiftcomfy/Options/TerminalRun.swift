import ArgumentParser
import Execution
import Foundation
import Runner
import Workflow
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a prompt through a `WorkflowRunner` with the terminal attached: progress on stderr, the
/// summary on stdout, Ctrl-C as ComfyUI's interrupt, `RunFailure`s as messages and exit statuses
/// (1 invalid, 2 a node failed, 130 interrupted). Outputs that fail validation are skipped as
/// ComfyUI skips them (their problems printed first) and a run that skipped some ends with exit
/// status 3 (`RunFailure.partialExitCode`); `strict` refuses such a prompt instead (exit status 1).
enum TerminalRun {
    static func execute(_ runner: WorkflowRunner, prompt: JSONObject, sets: [Override], reruns: [[Override]],
                        strict: Bool, report: String?) throws {
        let types = prompt.entries.reduce(into: [String: String]()) { $0[$1.key] = $1.value["class_type"]?.stringValue }
        let printer = ProgressPrinter(types: types, terminal: .standardError)
        let stop = Interrupts.forward(to: runner.executor.interruption)
        defer { stop.cancel() }
        var runs: [TimedRun] = []
        do {
            try runner.run(prompt, sets: sets, reruns: reruns, strict: strict, observer: printer.observer,
                           announce: { Console.error("run again with " + $0.map(describe).joined(separator: "; ")) },
                           validated: { validation in
                               guard !validation.isValid else { return }
                               let skipped = TimedRun.outputs(failedBy: validation.nodeErrors)
                               Console.error("skipping outputs that failed validation: " + name(skipped, types)
                                             + " (the others run; --strict runs nothing instead)")
                               for line in validation.lines { Console.error(line) }   // as `validate` prints them
                           },
                           finished: { run in
                               runs.append(run)
                               for line in RunSummaryText.lines(run, types: types) { print(line) }
                           })
        } catch let failure as RunFailure {
            try writeReport(runs, to: report)
            if case .invalid = failure {
                for line in failure.lines { Console.error(line) }   // as `validate` prints them
            } else {
                Console.error("Error: \(failure)")
            }
            throw ExitCode(failure.exitCode)
        } catch let e as OverrideError {
            throw CLIError(e.description)
        }
        try writeReport(runs, to: report)
        let skipped = TimedRun.outputs(failedBy: runs.flatMap(\.nodeErrors))
        if !skipped.isEmpty {
            Console.error("done, but outputs \(name(skipped, types)) failed validation and did not run")
        }
        let status = TimedRun.exitCode(of: runs)
        if status != 0 { throw ExitCode(status) }
    }

    /// `4 (SaveLatent), 9 (SaveImage)`.
    private static func name(_ ids: [String], _ types: [String: String]) -> String {
        ids.map { id in types[id].map { "\(id) (\($0))" } ?? id }.joined(separator: ", ")
    }

    private static func describe(_ o: Override) -> String { "\(o.node).\(o.input)=\(o.value.serialized())" }

    private static func writeReport(_ runs: [TimedRun], to path: String?) throws {
        guard let path else { return }
        do { try RunReport(runs: runs).write(to: URL(fileURLWithPath: path)) } catch { throw CLIError("\(error)") }
    }
}

/// Ctrl-C requests ComfyUI's interrupt (the run stops at the next node or sampler step); a second
/// Ctrl-C exits at once.
enum Interrupts {
    static func forward(to interruption: Interruption) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        var seen = false
        source.setEventHandler {
            if seen { exit(130) }
            seen = true
            StatusTerminal.standardError.line("interrupting (Ctrl-C again to quit now)")
            interruption.request()
        }
        source.resume()
        return source
    }
}

/// Messages for stderr, as whole lines beside the progress and the log lines.
enum Console {
    static func error(_ line: String) { StatusTerminal.standardError.line(line) }
}
