// The messages of a model file that a loader cannot load: ComfyUI 0.8.0 raises "ERROR: Could not
// detect model type of: ..." (comfy/sd.py) or loads another family; SwiftComfy says which family
// or part the file is and what it runs instead, and never loads a file as something it is not.

/// A file that is not what its loader needs.
public enum ArchitectureError: Error, Equatable, CustomStringConvertible {
    /// A file of a family ComfyUI knows that SwiftComfy does not run: "x is an SDXL checkpoint".
    case unsupportedFamily(file: String, kind: String, supported: [String])
    /// A file of another part than the loader's: "x is a VAE, not a checkpoint: load it with VAELoader".
    case wrongPart(file: String, kind: String, expected: String, loader: String)
    /// A file of no known family or part: what it should have been, what was found, what is missing.
    case notA(String, file: String, found: String, missing: [String])

    public var description: String {
        switch self {
        case let .unsupportedFamily(file, kind, supported):
            return "\(file) is \(kind); supported families: \(supported.joined(separator: ", "))"
        case let .wrongPart(file, kind, expected, loader):
            return "\(file) is \(kind), not \(expected): load it with \(loader)"
        case let .notA(expected, file, found, missing):
            var text = "\(file) is not \(expected): found \(found)"
            if !missing.isEmpty { text += "; missing \(missing.joined(separator: ", "))" }
            return text
        }
    }
}
