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
        discussion: "Exit status: 0 done, 1 invalid workflow or arguments, 2 a node failed, 130 interrupted (Ctrl-C).")

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

    @Option(help: ArgumentHelp("Write {\"runs\": [{executed, cached, seconds, outputs, total_seconds}, ...]} here.", valueName: "FILE.json"))
    var report: String?

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
        try TerminalRun.execute(runner, prompt: loaded.prompt, sets: sets, reruns: reruns, report: report)
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
