/// Why a checkpoint could not be read or written. Every case names the file, and the key where
/// there is one, so that a user can tell which download is broken.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or mapped (missing, unreadable, a directory...).
    case cannotOpen(file: String, reason: String)
    /// The file ends before its 8-byte header length, its header or its data.
    case truncated(file: String, detail: String)
    /// The JSON header is malformed or does not describe a safetensors file.
    case invalidHeader(file: String, reason: String)
    /// One tensor's entry is inconsistent (shape, offsets, size).
    case invalidTensor(key: String, file: String, reason: String)
    /// A dtype this reader does not know.
    case unknownDType(key: String, file: String, dtype: String)
    /// A tensor the loader needs is not in the file.
    case missingTensor(key: String, file: String)
    /// A tensor has another shape than the architecture needs.
    case shapeMismatch(key: String, file: String, expected: [Int], actual: [Int])
    /// Two tensors end up under one key (in one file, across files or after renaming).
    case duplicateKey(key: String, file: String)
    /// A tensor's dtype cannot be used for what was asked (e.g. raw access as another type).
    case unsupportedDType(key: String, file: String, dtype: String, reason: String)
    /// Writing a safetensors file failed.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "cannot open \(file): \(reason)"
        case let .truncated(file, detail):
            return "\(file) is truncated: \(detail)"
        case let .invalidHeader(file, reason):
            return "\(file) is not a valid safetensors file: \(reason)"
        case let .invalidTensor(key, file, reason):
            return "tensor '\(key)' in \(file) is invalid: \(reason)"
        case let .unknownDType(key, file, dtype):
            return "tensor '\(key)' in \(file) has unknown dtype '\(dtype)'"
        case let .missingTensor(key, file):
            return "tensor '\(key)' is missing from \(file)"
        case let .shapeMismatch(key, file, expected, actual):
            return "tensor '\(key)' in \(file) has shape \(actual), expected \(expected)"
        case let .duplicateKey(key, file):
            return "tensor '\(key)' appears more than once in \(file)"
        case let .unsupportedDType(key, file, dtype, reason):
            return "tensor '\(key)' in \(file) has dtype \(dtype): \(reason)"
        case let .writeFailed(file, reason):
            return "cannot write \(file): \(reason)"
        }
    }
}
