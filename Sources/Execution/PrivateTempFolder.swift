import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temp folder PreviewImage writes to, private to this process. ComfyUI clears its own
/// `temp/` at start; a shared, predictable `$TMPDIR/swiftcomfy` let another user plant a symlink
/// there and have previews written through it. Layout: `$TMPDIR/swiftcomfy-<uid>` (0700, ours,
/// not a symlink, else refused) holding one `run-<pid>` folder (0700) per process; folders of
/// processes that are gone are cleared at start.
public enum PrivateTempFolder {
    public struct Unsafe: Error, CustomStringConvertible, Equatable {
        public let path: String, reason: String
        public var description: String { "refusing the temp folder \(path): \(reason)" }
    }

    public static func make(in base: URL = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)) throws -> URL {
        let parent = base.appendingPathComponent("swiftcomfy-\(getuid())").path
        if mkdir(parent, 0o700) != 0, errno != EEXIST {
            throw Unsafe(path: parent, reason: "cannot create it: \(String(cString: strerror(errno)))")
        }
        try checkPrivate(parent)
        let mine = "run-\(getpid())"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix("run-") {
            guard let pid = pid_t(entry.dropFirst(4)) else { continue }
            // Ours is stale (a reused pid); another's stays while that process lives.
            if entry == mine || (kill(pid, 0) != 0 && errno == ESRCH) {
                try? FileManager.default.removeItem(atPath: parent + "/" + entry)
            }
        }
        let folder = parent + "/" + mine
        guard mkdir(folder, 0o700) == 0 else {
            throw Unsafe(path: folder, reason: "cannot create it: \(String(cString: strerror(errno)))")
        }
        try checkPrivate(folder)
        return URL(fileURLWithPath: folder, isDirectory: true)
    }

    /// A real directory (lstat: a symlink is refused), owned by this user, closed to others.
    static func checkPrivate(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw Unsafe(path: path, reason: String(cString: strerror(errno))) }
        guard (status.st_mode & S_IFMT) != S_IFLNK else { throw Unsafe(path: path, reason: "it is a symbolic link") }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw Unsafe(path: path, reason: "it is not a directory") }
        guard status.st_uid == getuid() else {
            throw Unsafe(path: path, reason: "it belongs to uid \(status.st_uid), not to this user (uid \(getuid()))")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw Unsafe(path: path, reason: "others may access it (mode \(String(status.st_mode & 0o777, radix: 8)), expected 700)")
        }
    }
}
