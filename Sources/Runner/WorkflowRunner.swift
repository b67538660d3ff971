import Execution
import Foundation
import Nodes
import Workflow

/// What `swiftcomfy run` does, as a library (the CLI, `swiftcomfy demo`, the end-to-end tests and
/// Benchmarks all call this): validate a prompt as ComfyUI does against the model and input folders,
/// then execute the outputs that passed. One runner keeps one `Executor`, so its output cache
/// carries over from run to run (`--rerun`), as in a long-running ComfyUI server.
public final class WorkflowRunner: @unchecked Sendable {
    public let environment: RunEnvironment
    public let executor: Executor

    public init(environment: RunEnvironment, registry: NodeRegistry = Registry.standard) {
        self.environment = environment
        self.executor = Executor(registry: registry)
    }

    /// ComfyUI's checks (execution.py validate_prompt) with this runner's folders.
    public func validate(_ prompt: JSONObject) -> ValidationReport {
        let files = ValidationFiles(models: environment.models, inputDirectory: environment.inputDirectory)
        return PromptValidator(types: executor.registry.nodeTypes(), files: files).validate(prompt)
    }

    /// Validates, then runs, as ComfyUI queues a prompt: the outputs that passed run, the others
    /// are skipped and their errors travel with the run (`TimedRun.validation`, `skippedOutputs`).
    /// Nothing runs (`RunFailure.invalid`) when ComfyUI would refuse the whole prompt (no output
    /// passed, or a prompt-level error), or with `strict` when anything failed validation.
    /// `validated` hears the report before anything executes (the CLI prints the skipped outputs).
    public func run(_ prompt: JSONObject, strict: Bool = false, observer: ExecutionObserver? = nil,
                    validated report: (ValidationReport) -> Void = { _ in }) throws -> TimedRun {
        let validation = validate(prompt)
        guard let validated = validation.validated, validation.isValid || !strict else {
            throw RunFailure.invalid(validation)
        }
        report(validation)
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let summary = try executor.run(validated, environment: environment, observer: observer)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return TimedRun(summary: summary, seconds: seconds, validation: validation)
        } catch let e as NodeFailure {
            throw RunFailure.nodeFailed(e)
        } catch let e as Interrupted {
            throw RunFailure.interrupted(e)
        } catch let e as ScheduleError {
            throw RunFailure.unschedulable(e)
        }
    }

    /// `swiftcomfy run --set ... --rerun ...`: the first run with `sets` applied, then one run per
    /// entry of `reruns`, each with its changes on top of the previous prompt. `announce` hears
    /// the changes before each rerun (the CLI prints them); `validated` hears each run's validation
    /// before it executes, `finished` each run as it ends. `strict` as for one run.
    @discardableResult
    public func run(_ prompt: JSONObject, sets: [Override] = [], reruns: [[Override]] = [], strict: Bool = false,
                    observer: ExecutionObserver? = nil, announce: ([Override]) -> Void = { _ in },
                    validated: (ValidationReport) -> Void = { _ in },
                    finished: (TimedRun) -> Void = { _ in }) throws -> [TimedRun] {
        var prompt = prompt
        for s in sets { try s.apply(to: &prompt) }
        var runs: [TimedRun] = []
        for (n, changes) in ([[]] + reruns).enumerated() {
            for c in changes { try c.apply(to: &prompt) }
            if n > 0 { announce(changes) }
            let one = try run(prompt, strict: strict, observer: observer, validated: validated)
            finished(one)
            runs.append(one)
        }
        return runs
    }
}

/// One run's summary (see `RunSummary`) and its wall time, validation excluded, with the
/// validation it ran after: on a partial run, the errors of the outputs that were skipped.
public struct TimedRun: Sendable {
    public var summary: RunSummary
    public var seconds: Double
    /// The errors that failed some outputs (ComfyUI's `node_errors` beside a queued prompt); empty
    /// when every output passed.
    public var nodeErrors: [ValidationReport.NodeErrors]
    /// `node N (Type), input ...` lines for `nodeErrors`, as `swiftcomfy validate` prints them.
    public var problems: [String]

    public init(summary: RunSummary, seconds: Double, validation: ValidationReport? = nil) {
        self.summary = summary
        self.seconds = seconds
        self.nodeErrors = validation?.nodeErrors ?? []
        self.problems = validation?.lines ?? []
    }

    /// The output nodes that failed validation and did not run, in the order their errors were found.
    public var skippedOutputs: [String] { Self.outputs(failedBy: nodeErrors) }

    /// Whether some outputs were skipped (the CLI then exits with `RunFailure.partialExitCode`).
    public var isPartial: Bool { !nodeErrors.isEmpty }

    /// The exit status of runs that all ended: 0, or `RunFailure.partialExitCode` when any of them
    /// skipped outputs.
    public static func exitCode(of runs: [TimedRun]) -> Int32 {
        runs.contains(where: \.isPartial) ? RunFailure.partialExitCode : 0
    }

    /// The outputs named by `dependent_outputs`, each once.
    public static func outputs(failedBy errors: [ValidationReport.NodeErrors]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for n in errors { for o in n.dependentOutputs where seen.insert(o).inserted { out.append(o) } }
        return out
    }
}
