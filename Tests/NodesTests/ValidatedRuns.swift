import Execution
import Foundation
import Workflow

/// A prompt ran into validation problems (the lines `swiftcomfy validate` prints).
struct InvalidPrompt: Error, CustomStringConvertible {
    let lines: [String]
    var description: String { lines.joined(separator: "\n") }
}

extension Executor {
    /// Validates `prompt` against this executor's nodes and the environment's folders, as the
    /// Runner does, then runs what passed: the executor takes nothing else.
    func validateAndRun(_ prompt: JSONObject, environment: RunEnvironment,
                        observer: ExecutionObserver? = nil) throws -> RunSummary {
        let files = ValidationFiles(models: environment.models, inputDirectory: environment.inputDirectory)
        let report = PromptValidator(types: registry.nodeTypes(), files: files).validate(prompt)
        guard let validated = report.validated else { throw InvalidPrompt(lines: report.lines) }
        return try run(validated, environment: environment, observer: observer)
    }
}
