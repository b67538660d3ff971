import Foundation

/// Which of ComfyUI's two JSON formats a file is in.
public enum WorkflowFormat: String, Sendable {
    /// `{"3": {"class_type": "KSampler", "inputs": {...}}}`: what `POST /prompt` executes.
    case api
    /// The UI export: `nodes`, `links`, `widgets_values`, ...
    case ui
}

/// A loaded workflow file: the API prompt to execute, and the UI graph when the file was a UI
/// export (SaveImage writes it into the PNG's `workflow` chunk).
public struct LoadedWorkflow: Sendable {
    public var prompt: JSONObject
    public var format: WorkflowFormat
    public var workflow: JSONObject?

    public init(prompt: JSONObject, format: WorkflowFormat, workflow: JSONObject?) {
        self.prompt = prompt
        self.format = format
        self.workflow = workflow
    }
}

/// Reads either format. (Contract for the rest of the package; UI conversion lands in UIToAPI.)
public enum WorkflowLoader {
    public static func load(data: Data, catalogue: Catalogue = .comfyUI) throws -> LoadedWorkflow {
        guard case .object(let top) = try JSONParser.parse(Array(data)) else {
            throw WorkflowLoadError.wrongTopLevel
        }
        return LoadedWorkflow(prompt: top, format: .api, workflow: nil)
    }
}

public enum WorkflowLoadError: Error, CustomStringConvertible {
    case wrongTopLevel
    public var description: String {
        switch self {
        case .wrongTopLevel:
            return "the file is neither a ComfyUI API prompt nor a UI workflow: its top level is not a JSON object"
        }
    }
}
