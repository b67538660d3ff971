import Foundation
import Workflow

/// Reads a workflow file in either format through `WorkflowLoader`, with a clear error for every
/// way the file can be wrong.
enum WorkflowFile {
    static func load(_ path: String) throws -> LoadedWorkflow {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CLIError("cannot read \(path): \(error.localizedDescription)")
        }
        if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            throw CLIError("\(path) is empty: expected a ComfyUI workflow (UI export or API prompt) in JSON")
        }
        let loaded: LoadedWorkflow
        do {
            loaded = try WorkflowLoader.load(data: data, catalogue: .comfyUI)
        } catch {
            throw CLIError("\(path): \(error)")
        }
        // A loader without UI conversion hands a UI export back as if it were a prompt.
        if loaded.format == .api, loaded.prompt["nodes"]?.arrayValue != nil, loaded.prompt["links"] != nil {
            throw CLIError("\(path) is a UI workflow export, and this build cannot convert UI workflows; export it with \"Export (API)\" instead")
        }
        return loaded
    }
}
