import ArgumentParser
import Foundation
import Runner
import Workflow

/// Where model files are: `--models DIR` (repeatable; default ./models) and ComfyUI's
/// `--extra-model-paths-config FILE`.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("models"), help: ArgumentHelp("A models folder in ComfyUI's layout (repeatable; default ./models).", valueName: "DIR"))
    var roots: [String] = []

    @Option(name: .customLong("extra-model-paths-config"), help: ArgumentHelp("A ComfyUI extra_model_paths.yaml (repeatable).", valueName: "FILE"))
    var extraConfigs: [String] = []

    var search: ModelSearch {
        ModelSearch(roots: (roots.isEmpty ? ["models"] : roots).map { URL(fileURLWithPath: $0, isDirectory: true) },
                    extraConfigs: extraConfigs.map { URL(fileURLWithPath: $0) })
    }

    func folders() throws -> ModelFolders {
        do { return try search.folders() } catch { throw CLIError("\(error)") }
    }
}
