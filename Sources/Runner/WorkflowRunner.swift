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

    /// Validates, then runs. Nothing runs when validation finds a problem (`RunFailure.invalid`).
    public func run(_ prompt: JSONObject, observer: ExecutionObserver? = nil) throws -> TimedRun {
        let validation = validate(prompt)
        // The CLI runs only prompts without any problem (ComfyUI's server also queues a partial success).
        guard validation.isValid, let validated = validation.validated else { throw RunFailure.invalid(validation) }
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let summary = try executor.run(validated, environment: environment, observer: observer)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return TimedRun(summary: summary, seconds: seconds)
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
    /// the changes before each rerun (the CLI prints them); `finished` hears each run as it ends.
    @discardableResult
    public func run(_ prompt: JSONObject, sets: [Override] = [], reruns: [[Override]] = [],
                    observer: ExecutionObserver? = nil, announce: ([Override]) -> Void = { _ in },
                    finished: (TimedRun) -> Void = { _ in }) throws -> [TimedRun] {
        var prompt = prompt
        for s in sets { try s.apply(to: &prompt) }
        var runs: [TimedRun] = []
        for (n, changes) in ([[]] + reruns).enumerated() {
            for c in changes { try c.apply(to: &prompt) }
            if n > 0 { announce(changes) }
            let one = try run(prompt, observer: observer)
            finished(one)
            runs.append(one)
        }
        return runs
    }
}

/// One run's summary (see `RunSummary`) and its wall time, validation excluded.
public struct TimedRun: Sendable {
    public var summary: RunSummary
    public var seconds: Double

    public init(summary: RunSummary, seconds: Double) {
        self.summary = summary
        self.seconds = seconds
    }
}
