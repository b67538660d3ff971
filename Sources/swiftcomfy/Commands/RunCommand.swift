import ArgumentParser
import Execution
import Foundation
import Runner
import Workflow

/// `swiftcomfy run WORKFLOW.json`: validates, then executes; `--rerun` runs again in the same
/// process with changes on top of the previous run, so only what changed is recomputed.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Validate and execute a workflow.",
        discussion: """
            Outputs that fail validation are skipped and the others run, as ComfyUI queues such a prompt \
            (--strict: nothing runs). Exit status: 0 done, 1 invalid workflow or arguments (nothing ran), \
            2 a node failed, 3 done but some outputs failed validation and did not run, 130 interrupted (Ctrl-C).
            """)

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

    @Option(help: ArgumentHelp("Write {\"runs\": [{executed, cached, seconds, outputs, total_seconds, skipped_outputs, node_errors}, ...]} here.",
                               valueName: "FILE.json"))
    var report: String?

    @Flag(help: "Run nothing if any node fails validation (exit status 1), instead of running the outputs that pass.")
    var strict = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        let loaded = try WorkflowFile.load(workflow)
        let (sets, reruns): ([Override], [[Override]])
        do {
            sets = try self.sets.map(Override.init(parsing:))
            reruns = try rerun.map(Override.list)
        } catch { throw CLIError("\(error)") }
        let runner = WorkflowRunner(environment: try environment(extraPNGInfo: loaded.workflow))
        try TerminalRun.execute(runner, prompt: loaded.prompt, sets: sets, reruns: reruns, strict: strict,
                                report: report)
    }

    /// A UI export's graph goes into the PNGs (`workflow` chunk), as ComfyUI's frontend sends it.
    private func environment(extraPNGInfo workflow: JSONObject?) throws -> RunEnvironment {
        RunEnvironment(
            models: try models.folders(),
            outputDirectory: URL(fileURLWithPath: output, isDirectory: true),
            inputDirectory: URL(fileURLWithPath: input, isDirectory: true),
            tempDirectory: try PrivateTempFolder.make(),
            extraPNGInfo: JSONObject(workflow.map { [("workflow", JSONValue.object($0))] } ?? []))
    }
}
