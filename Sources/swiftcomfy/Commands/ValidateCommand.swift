import ArgumentParser
import Foundation
import Nodes
import Workflow

/// `swiftcomfy validate WORKFLOW.json`: ComfyUI's checks; exit 0 when valid, else 1 with one line
/// per problem (or ComfyUI's error body with `--json`).
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a workflow as ComfyUI does before queueing it.")

    @Argument(help: "A workflow file: UI export or API prompt.")
    var workflow: String

    @OptionGroup var models: ModelOptions

    @Option(help: ArgumentHelp("ComfyUI's input folder (LoadImage files; default ./input).", valueName: "DIR"))
    var input: String = "input"

    @Flag(help: "Print ComfyUI's error body {\"error\", \"node_errors\"} as JSON.")
    var json = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        let loaded = try WorkflowFile.load(workflow)
        let report = try Validation.check(loaded.prompt, models: models, input: input)
        if json {
            print(report.body.serialized(.python))
        } else if report.isValid {
            print("valid: \(loaded.prompt.count) nodes, outputs \(report.goodOutputs.joined(separator: ", "))")
        }
        if !report.isValid {
            if !json { Validation.printProblems(report) }
            throw ExitCode(1)
        }
    }
}

/// Validation as the CLI runs it: the standard registry, the model and input folders.
enum Validation {
    static func check(_ prompt: JSONObject, models: ModelOptions, input: String) throws -> ValidationReport {
        let files = ValidationFiles(models: try models.folders(),
                                    inputDirectory: URL(fileURLWithPath: input, isDirectory: true))
        return PromptValidator(types: Registry.standard.nodeTypes(), files: files).validate(prompt)
    }

    static func printProblems(_ report: ValidationReport) {
        for line in report.lines { Console.error(line) }
    }
}
