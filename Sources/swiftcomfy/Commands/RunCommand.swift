import ArgumentParser
import Execution
import Foundation
import Nodes
import Workflow

/// `swiftcomfy run WORKFLOW.json`: validates, then executes; `--rerun` runs again in the same
/// process with changes on top of the previous run, so only what changed is recomputed.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Validate and execute a workflow.")

    @Argument(help: "A workflow file: UI export or API prompt.")
    var workflow: String

    @OptionGroup var models: ModelOptions

    @Option(help: ArgumentHelp("Where output nodes write (default ./output).", valueName: "DIR"))
    var output: String = "output"

    @Option(help: ArgumentHelp("ComfyUI's input folder (LoadImage files; default ./input).", valueName: "DIR"))
    var input: String = "input"

    @Option(name: .customLong("set"), help: ArgumentHelp("Change an input before the first run (repeatable).", valueName: "NODE.INPUT=VALUE"))
    var sets: [String] = []

    @Option(help: ArgumentHelp("Run again with these changes on top of the previous run (repeatable).",
                               valueName: "NODE.INPUT=VALUE[;NODE.INPUT=VALUE]"))
    var rerun: [String] = []

    @Option(help: ArgumentHelp("Write {\"runs\": [{executed, cached, seconds, outputs}, ...]} here.", valueName: "FILE.json"))
    var report: String?

    func run() throws {
        let loaded = try WorkflowFile.load(workflow)
        var prompt = loaded.prompt
        for s in sets { try Override(parsing: s).apply(to: &prompt) }
        let changes = try rerun.map(Override.list)
        let environment = RunEnvironment(
            models: try models.folders(),
            outputDirectory: URL(fileURLWithPath: output, isDirectory: true),
            inputDirectory: URL(fileURLWithPath: input, isDirectory: true),
            tempDirectory: URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true).appendingPathComponent("swiftcomfy"),
            extraPNGInfo: JSONObject(loaded.workflow.map { [("workflow", JSONValue.object($0))] } ?? []))
        let executor = Executor(registry: Registry.standard)
        var summaries: [RunSummary] = []
        defer { if let report { try? RunReport(runs: summaries).write(to: report) } }
        for (n, change) in ([[]] + changes).enumerated() {
            for c in change { try c.apply(to: &prompt) }
            if n > 0 { Console.error("run \(n + 1): " + change.map { "\($0.node).\($0.input)=\($0.value.serialized())" }.joined(separator: "; ")) }
            summaries.append(try runOnce(prompt, executor: executor, environment: environment))
        }
        if let report { try RunReport(runs: summaries).write(to: report) }
    }

    private func runOnce(_ prompt: JSONObject, executor: Executor, environment: RunEnvironment) throws -> RunSummary {
        let validation = try Validation.check(prompt, models: models, input: input)
        guard validation.isValid else {
            Validation.printProblems(validation)
            throw ExitCode(1)
        }
        let types = prompt.entries.reduce(into: [String: String]()) { $0[$1.key] = $1.value["class_type"]?.stringValue }
        do {
            let summary = try executor.run(validation.prompt, outputs: validation.goodOutputs, environment: environment,
                                           observer: ConsoleProgress.observer(types: types))
            ConsoleProgress.finish(summary)
            return summary
        } catch let failure as NodeFailure {
            throw CLIError(failure.description)
        } catch {
            throw CLIError("\(error)")
        }
    }
}
