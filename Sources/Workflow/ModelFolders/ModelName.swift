/// A model file name as workflows write it, made safe to join to a model folder.
///
/// ComfyUI lists names with the OS separator, so workflows exported on Windows say
/// `1.5\1.5-dpo-LoRA.safetensors`. SwiftComfy reads `\` as `/` (a deliberate improvement: ComfyUI on
/// Linux rejects such names) and refuses names that would leave their folder.
public enum ModelName {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case absolute(String)
        case escapes(String)

        public var description: String {
            switch self {
            case .empty: return "the model name is empty"
            case .absolute(let n): return "model name '\(n)' is an absolute path; names are relative to their model folder"
            case .escapes(let n): return "model name '\(n)' leaves its model folder ('..' is not allowed)"
            }
        }
    }

    /// `a\b/./c.safetensors` -> `a/b/c.safetensors`.
    public static func normalised(_ name: String) throws -> String {
        let slashed = name.replacingOccurrences(of: "\\", with: "/")
        if slashed.isEmpty { throw Problem.empty }
        if slashed.hasPrefix("/") || Self.hasDrive(slashed) { throw Problem.absolute(name) }
        var parts: [Substring] = []
        for part in slashed.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." { throw Problem.escapes(name) }
            parts.append(part)
        }
        if parts.isEmpty { throw Problem.empty }
        return parts.joined(separator: "/")
    }

    /// `C:/...`: a Windows drive path.
    private static func hasDrive(_ s: String) -> Bool {
        let c = Array(s.prefix(3))
        return c.count >= 2 && c[0].isLetter && c[1] == ":"
    }
}
