import Dispatch
import Foundation
import JSON
import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes safetensors files exactly as the reference writers do: keys sorted by code point, the
/// header as Python's `json.dumps(header, separators=(",", ":"))` (ASCII-escaped, `__metadata__`
/// last), padded with spaces to a multiple of 8, data in key order.
///
/// Data is streamed: each item fills element ranges on demand, on all cores, into bounded
/// buffers that are written with `pwrite`, so a multi-GB file never sits in memory.
public enum SafeTensorsWriter {
    /// One tensor to write. `fill(destination, range)` writes elements `range` (stored as `dtype`)
    /// at `destination`, which points at element `range.lowerBound`. It may be called
    /// concurrently for disjoint ranges.
    public struct Item: Sendable {
        public let key: String
        public let dtype: DType
        public let shape: [Int]
        public let fill: @Sendable (UnsafeMutableRawPointer, Range<Int>) -> Void

        public init(key: String, dtype: DType, shape: [Int],
                    fill: @escaping @Sendable (UnsafeMutableRawPointer, Range<Int>) -> Void) {
            self.key = key
            self.dtype = dtype
            self.shape = shape
            self.fill = fill
        }

        public var count: Int { shape.reduce(1, *) }
        public var byteCount: Int { count * dtype.byteSize }
    }

    /// Elements per work unit.
    static let chunkElements = 1 << 20

    /// Writes `items` (any order; written sorted) and `metadata` (kept in the given order) to `url`,
    /// through a temporary file (`AtomicFile`): `replacing: false` refuses an existing `url`
    /// with `AtomicFile.Exists`.
    public static func write(_ items: [Item], metadata: [(String, String)] = [], to url: URL, replacing: Bool = true) throws {
        let sorted = items.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.key == b.key {
            throw CheckpointError.duplicateKey(key: a.key, file: url.path)
        }
        for item in sorted where item.shape.contains(where: { $0 < 0 }) {
            throw CheckpointError.invalidTensor(key: item.key, file: url.path, reason: "negative dimension in \(item.shape)")
        }
        let header = headerBytes(sorted, metadata: metadata)
        var length = UInt64(header.count).littleEndian
        var prefix = withUnsafeBytes(of: &length) { Array($0) }
        prefix += header
        try AtomicFile.write(to: url, replacing: replacing) { fd in
            try writeAll(fd, prefix, at: 0, file: url.path)
            try writeData(sorted, fd: fd, dataStart: prefix.count, file: url.path)
        }
    }

    /// The padded JSON header (without the 8-byte length) for `items` already sorted by key.
    public static func headerBytes(_ items: [Item], metadata: [(String, String)]) -> [UInt8] {
        var entries: [(key: String, value: JSONValue)] = []
        entries.reserveCapacity(items.count + 1)
        var offset = 0
        for item in items {
            entries.append((item.key, .object(JSONObject([
                ("dtype", .string(item.dtype.rawValue)),
                ("shape", .array(item.shape.map { .int(Int64($0)) })),
                ("data_offsets", [.int(Int64(offset)), .int(Int64(offset + item.byteCount))]),
            ]))))
            offset += item.byteCount
        }
        if !metadata.isEmpty {
            entries.append(("__metadata__", .object(JSONObject(metadata.map { (key: $0.0, value: .string($0.1)) }))))
        }
        var bytes = Array(JSONValue.object(JSONObject(entries)).serialized(.pythonCompact).utf8)
        bytes += Array(repeating: UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        return bytes
    }

    /// Fills and writes the data area: work units of `chunkElements` elements, taken in turn by
    /// one worker per core, each with its own reusable buffer.
    private static func writeData(_ items: [Item], fd: Int32, dataStart: Int, file: String) throws {
        struct Unit { let item: Int; let range: Range<Int>; let fileOffset: Int }
        var units: [Unit] = []
        var offset = dataStart
        for (i, item) in items.enumerated() {
            var start = 0
            while start < item.count {
                let end = min(item.count, start + chunkElements)
                units.append(Unit(item: i, range: start..<end, fileOffset: offset + start * item.dtype.byteSize))
                start = end
            }
            offset += item.byteCount
        }
        let next = Counter()
        let failure = FailureBox()
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, units.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkElements * 8, alignment: 64)
            defer { buffer.deallocate() }
            while failure.error == nil, let u = next.take(below: units.count) {
                let unit = units[u], item = items[unit.item]
                item.fill(buffer, unit.range)
                let bytes = UnsafeRawBufferPointer(start: buffer, count: unit.range.count * item.dtype.byteSize)
                do { try writeAll(fd, bytes, at: unit.fileOffset, file: file) } catch { failure.set(error) }
            }
        }
        if let error = failure.error { throw error }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int, file: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, at: offset, file: file) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, file: String) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw CheckpointError.writeFailed(file: file, reason: String(cString: strerror(errno))) }
            done += n
        }
    }
}

/// A shared counter handing out work units.
private final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// The first error of a parallel loop.
private final class FailureBox: @unchecked Sendable {
    private var stored: Error?
    private let lock = NSLock()
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ e: Error) { lock.lock(); defer { lock.unlock() }; if stored == nil { stored = e } }
}
