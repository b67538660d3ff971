import Foundation

/// What validation knows about node types: the ones SwiftComfy runs (with their declared schemas),
/// ComfyUI's whole catalogue (to tell "not run yet" from "unknown"), and where combo choices come
/// from files (model folders, the input folder) rather than from the schema.
public struct NodeTypes: Sendable {
    /// Schemas of the node types SwiftComfy runs, by class_type.
    public var runnable: [String: NodeSchema]
    public var catalogue: Catalogue
    /// class_type -> input -> model folder key whose files are that combo's choices. The schema's
    /// own choices (VAELoader's `pixel_space`) are appended.
    public var modelInputs: [String: [String: String]]
    /// class_type -> input -> what kind of file it names in the input folder ("image", "latent"). As
    /// ComfyUI's `VALIDATE_INPUTS` does for LoadImage/LoadLatent, an existence check replaces the
    /// min/max/list checks.
    public var inputFileInputs: [String: [String: String]]

    public init(runnable: [String: NodeSchema], catalogue: Catalogue = .comfyUI,
                modelInputs: [String: [String: String]] = [:], inputFileInputs: [String: [String: String]] = [:]) {
        self.runnable = runnable
        self.catalogue = catalogue
        self.modelInputs = modelInputs
        self.inputFileInputs = inputFileInputs
    }
}

/// Where validation finds files: the model folders, and ComfyUI's input folder (nil skips the
/// input-file checks).
public struct ValidationFiles: Sendable {
    public var models: ModelFolders
    public var inputDirectory: URL?

    public init(models: ModelFolders, inputDirectory: URL? = nil) {
        self.models = models
        self.inputDirectory = inputDirectory
    }
}
