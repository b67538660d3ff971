import ArgumentParser
import Foundation
import Workflow

/// Where model files are: `--models DIR` (repeatable; default ./models) and ComfyUI's
/// `--extra-model-paths-config FILE`.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("models"), help: ArgumentHelp("A models folder in ComfyUI's layout (repeatable; default ./models).", valueName: "DIR"))
    var roots: [String] = []

    @Option(name: .customLong("extra-model-paths-config"), help: ArgumentHelp("A ComfyUI extra_model_paths.yaml (repeatable).", valueName: "FILE"))
    var extraConfigs: [String] = []

    func folders() throws -> ModelFolders {
        let paths = roots.isEmpty ? ["models"] : roots
        var folders = ModelFolders(roots: paths.map { URL(fileURLWithPath: $0, isDirectory: true) })
        for file in extraConfigs {
            do { try folders.addExtraPaths(file: URL(fileURLWithPath: file)) } catch {
                throw CLIError("\(error)")
            }
        }
        return folders
    }
}
