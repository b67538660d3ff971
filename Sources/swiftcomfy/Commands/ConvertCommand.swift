import ArgumentParser
import Workflow

/// `swiftcomfy convert WORKFLOW.json`: prints the API prompt.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert", abstract: "Print a workflow's API prompt (what ComfyUI's frontend would queue).")

    @Argument(help: "A workflow file: UI export or API prompt.")
    var workflow: String

    func run() throws {
        let loaded = try WorkflowFile.load(workflow)
        print(JSONValue.object(loaded.prompt).serialized(.pretty))
    }
}
