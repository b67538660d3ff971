import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written whole or not at all: the bytes go to a hidden temporary name in the target's
/// folder, are flushed (fsync), and only then get the final name. An interrupted run leaves no
/// truncated file under a final name (at most a `.<name>.tmp-*` file, removed on every error).
///
/// - `replacing: true` publishes with rename(2): an existing file is replaced atomically.
/// - `replacing: false` publishes with link(2), which fails when the name exists: the name is
///   claimed exclusively, so two processes numbering files in one folder never overwrite each
///   other (the loser gets `AtomicFile.Exists` and tries the next counter).
public enum AtomicFile {
    /// The final name was taken by someone else (only with `replacing: false`).
    public struct Exists: Error, Equatable, CustomStringConvertible {
        public let file: String
        public var description: String { "\(file) already exists" }
    }

    public static func write(to url: URL, replacing: Bool, _ body: (Int32) throws -> Void) throws {
        let folder = url.deletingLastPathComponent().path
        var template = Array((folder + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CheckpointError.writeFailed(file: url.path, reason: String(cString: strerror(errno))) }
        let temp = String(cString: template)
        var published = false
        defer { if !published { unlink(temp) } }
        do {
            defer { close(fd) }
            // mkstemp creates 0600; saved outputs are 0644 less the umask, as open(2) would make them.
            fchmod(fd, 0o644 & ~processUmask)
            try body(fd)
            guard fsync(fd) == 0 else { throw CheckpointError.writeFailed(file: url.path, reason: String(cString: strerror(errno))) }
        }
        if replacing {
            guard rename(temp, url.path) == 0 else {
                throw CheckpointError.writeFailed(file: url.path, reason: String(cString: strerror(errno)))
            }
        } else {
            guard link(temp, url.path) == 0 else {
                if errno == EEXIST { throw Exists(file: url.path) }
                throw CheckpointError.writeFailed(file: url.path, reason: String(cString: strerror(errno)))
            }
            unlink(temp)
        }
        published = true
    }

    /// The umask, read without changing it (`umask(2)` can only set it, which would race with other
    /// threads creating files); 022 where /proc does not say.
    static let processUmask: mode_t = {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
              let value = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) else { return 0o022 }
        return value
    }()

    /// Writes `bytes` whole (see `write(to:replacing:_:)`).
    public static func write(_ bytes: [UInt8], to url: URL, replacing: Bool) throws {
        try write(to: url, replacing: replacing) { fd in
            try bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw CheckpointError.writeFailed(file: url.path, reason: String(cString: strerror(errno))) }
                    done += n
                }
            }
        }
    }

    /// Publishes files numbered by `counter` (ComfyUI's `<base>_00001_.png`) from `first` on:
    /// a name another writer claimed in the meantime moves to the next counter. Returns the
    /// counter used. Gives up after 10,000 taken names.
    public static func claim(from first: Int, name: (Int) -> URL, _ write: (URL) throws -> Void) throws -> Int {
        var counter = first
        while true {
            do {
                try write(name(counter))
                return counter
            } catch is Exists where counter - first < 10_000 {
                counter += 1
            }
        }
    }
}
