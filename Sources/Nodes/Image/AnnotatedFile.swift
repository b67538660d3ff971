import Execution
import Workflow
import Foundation

/// Matches ComfyUI 0.8.0 folder_paths.py `get_annotated_filepath`: a LoadImage/LoadLatent name,
/// relative to the input folder unless it ends in `[output]`, `[input]` or `[temp]` (ComfyUI cuts
/// 9, 8 or 7 characters: the annotation and the space before it). Subfolders are allowed. Unlike
/// ComfyUI, a name that leaves its folder (`../x`, an absolute path) is refused.
enum AnnotatedFile {
    static func url(_ name: String, in environment: RunEnvironment) throws -> URL {
        var relative = name
        var base = environment.inputDirectory
        for (tag, folder) in [("[output]", environment.outputDirectory), ("[input]", environment.inputDirectory),
                              ("[temp]", environment.tempDirectory)] where name.hasSuffix(tag) {
            relative = String(name.dropLast(tag.count + 1))
            base = folder
            break
        }
        let basePath = PythonPath.normpath(base.path)
        let full = PythonPath.normpath(PythonPath.join(basePath, relative))
        guard PythonPath.commonpath(basePath, full) == basePath, full != basePath else {
            throw InputFileError(name: name, folder: basePath, reason: "the name leaves the folder")
        }
        // Checked before anything opens it: a FIFO would block the run, /dev/zero never ends.
        let kind = FileKind.of(full)
        guard kind.isRegular else {
            throw InputFileError(name: name, folder: basePath, reason: kind == .directory ? "no such file" : kind.notRegularReason)
        }
        return URL(fileURLWithPath: full)
    }
}

struct InputFileError: Error, CustomStringConvertible {
    let name: String, folder: String, reason: String
    var description: String { "cannot open '\(name)' in \(folder): \(reason)" }
}
