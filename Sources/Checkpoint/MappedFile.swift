import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file, unmapped when the last user goes away.
/// Pages are read lazily by the kernel, so opening a multi-GB checkpoint copies nothing.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?

    init(url: URL) throws {
        let path = url.path
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, before the
        // regular-file check below could refuse it. It changes nothing for a regular file.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw CheckpointError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw CheckpointError.cannotOpen(file: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw CheckpointError.cannotOpen(file: path, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        if size == 0 {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw CheckpointError.cannotOpen(file: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        mapping = base
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
    }
}
