// Matches ComfyUI 0.8.0 folder_paths.py get_full_path_or_raise: the run-time error for a model
// file that is not (or no longer) in its folders.
import Execution
import Foundation
import Workflow

/// "Model in folder 'checkpoints' with filename 'x.safetensors' not found." plus the folders searched.
public struct ModelFileNotFound: Error, CustomStringConvertible {
    public let folder: String
    public let name: String
    public let searched: [String]

    public var description: String {
        "Model in folder '\(folder)' with filename '\(name)' not found. ("
            + (searched.isEmpty ? "no folders are configured" : "searched " + searched.joined(separator: ", ")) + ")"
    }
}

extension NodeContext {
    /// The file of a model combo, or ComfyUI's "Model in folder ... not found." error.
    func modelPath(_ file: ModelFile) throws -> URL {
        do { return try path(of: file) } catch let ModelFolders.LookupError.notFound(key, name, searched) {
            throw ModelFileNotFound(folder: key, name: name, searched: searched)
        }
    }
}
