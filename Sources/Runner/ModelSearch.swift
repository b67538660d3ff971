import Foundation
import Workflow

/// Where model files are looked up: models roots in ComfyUI's layout (`--models`, repeatable, the
/// first holding a file wins) and ComfyUI `extra_model_paths.yaml` files (`--extra-model-paths-config`).
public struct ModelSearch: Sendable, Equatable {
    public var roots: [URL]
    public var extraConfigs: [URL]

    public init(roots: [URL], extraConfigs: [URL] = []) {
        self.roots = roots
        self.extraConfigs = extraConfigs
    }

    /// The folders; a YAML file that cannot be read or has the wrong shape throws
    /// `ExtraModelPaths.LoadError` naming the file.
    public func folders() throws -> ModelFolders {
        var folders = ModelFolders(roots: roots)
        for file in extraConfigs { try folders.addExtraPaths(file: file) }
        return folders
    }
}
