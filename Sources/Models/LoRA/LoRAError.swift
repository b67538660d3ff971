/// Why a LoRA could not be read or applied. Messages name the file and, where it applies, the key.
public enum LoRAError: Error, CustomStringConvertible, Equatable {
    /// Shapes that do not fit together (raised inside the math, wrapped with the key by callers).
    case shapes(String)
    /// A file that is not a readable LoRA (corrupt, truncated, not safetensors).
    case unreadable(file: String, reason: String)
    /// A tensor of the file that its format cannot use (wrong shape for its role).
    case badTensor(file: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .shapes(let s): return s
        case let .unreadable(file, reason): return "LoRA \(file) cannot be read: \(reason)"
        case let .badTensor(file, key, reason): return "LoRA \(file), tensor '\(key)': \(reason)"
        }
    }
}
