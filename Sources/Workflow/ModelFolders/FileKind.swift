import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a path names, symlinks followed (`stat`). Checked before a user-named file is opened:
/// `open` on a FIFO blocks until a writer comes, and a device never ends (/dev/zero). Listings
/// offer regular files only.
public enum FileKind: Equatable, Sendable {
    case missing
    case regular
    case directory
    /// Anything else, described ("a FIFO", "a character device").
    case other(String)

    public static func of(_ path: String) -> FileKind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFIFO: return .other("a FIFO")
        case S_IFCHR: return .other("a character device")
        case S_IFBLK: return .other("a block device")
        case S_IFSOCK: return .other("a socket")
        default: return .other("not a file")
        }
    }

    public var isRegular: Bool { self == .regular }

    /// "not a regular file (a FIFO)", for errors.
    public var notRegularReason: String {
        switch self {
        case .missing: return "no such file"
        case .regular: return "a regular file"
        case .directory: return "not a regular file (a directory)"
        case .other(let what): return "not a regular file (\(what))"
        }
    }
}
