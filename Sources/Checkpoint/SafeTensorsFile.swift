import Foundation
import TensorCore

/// Where one tensor lives in a safetensors file and what it holds.
public struct TensorInfo: Equatable, Sendable {
    public let key: String
    public let dtype: DType
    public let shape: [Int]
    /// Byte range of the data, counted from the start of the file.
    public let byteRange: Range<Int>
    /// Number of elements (1 for a scalar of shape []).
    public var count: Int { shape.reduce(1, *) }
}

/// A memory-mapped safetensors file: 8-byte little-endian header length, a JSON header, then the
/// data. Opening it validates the whole header (every bound, offset and size) and copies nothing;
/// tensors are handed out as windows of the mapping (`stored`) or converted to Float32 on request.
public final class SafeTensorsFile: @unchecked Sendable {
    /// The safetensors limit on the header (the reference Rust reader refuses larger ones).
    public static let maxHeaderBytes = 100_000_000

    public let url: URL
    /// The `__metadata__` map (empty when the file has none).
    public let metadata: [String: String]
    /// Tensor keys in data order (as the writer laid them out).
    public let keys: [String]
    private let infos: [String: TensorInfo]
    private let mapped: MappedFile

    /// The path used in error messages.
    public var file: String { url.path }

    public init(url: URL) throws {
        self.url = url
        mapped = try MappedFile(url: url)
        let parsed = try Self.parseHeader(mapped.bytes, file: url.path)
        metadata = parsed.metadata
        keys = parsed.infos.map(\.key)
        infos = Dictionary(parsed.infos.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Dtype, shape and byte range of `key`, or nil when the file has no such tensor.
    public func info(_ key: String) -> TensorInfo? { infos[key] }

    /// The tensor `key` converted to Float32.
    public func tensor(_ key: String) throws -> Tensor {
        guard let info = infos[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        return tensor(info)
    }

    /// The tensor described by `info`, which comes from this file's header, converted to Float32.
    func tensor(_ info: TensorInfo) -> Tensor { stored(info).float32() }

    /// The tensor `key` as stored: a window of the mapping, which it keeps alive.
    public func stored(_ key: String) throws -> StoredTensor {
        guard let info = infos[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        return stored(info)
    }

    /// The tensor described by `info` (from this file's header) as stored, not copied.
    func stored(_ info: TensorInfo) -> StoredTensor {
        let window = UnsafeRawBufferPointer(rebasing: mapped.bytes[info.byteRange])
        return StoredTensor(dtype: info.dtype, shape: info.shape, bytes: StoredBytes(window: window, of: mapped))
    }

    /// The stored bytes of `key`, valid only inside `body` (the file stays mapped meanwhile).
    public func withRawBytes<R>(_ key: String, _ body: (UnsafeRawBufferPointer, TensorInfo) throws -> R) throws -> R {
        guard let info = infos[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        let raw = UnsafeRawBufferPointer(rebasing: mapped.bytes[info.byteRange])
        return try withExtendedLifetime(mapped) { try body(raw, info) }
    }

    // MARK: header validation

    static func parseHeader(_ bytes: UnsafeRawBufferPointer, file: String)
        throws -> (infos: [TensorInfo], metadata: [String: String]) {
        guard bytes.count >= 8 else {
            throw CheckpointError.truncated(file: file, detail: "\(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maxHeaderBytes) else {
            throw CheckpointError.invalidHeader(file: file, reason: "header length \(declared) exceeds the limit of \(maxHeaderBytes) bytes")
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw CheckpointError.truncated(file: file, detail: "header of \(headerLength) bytes, but only \(bytes.count - 8) follow")
        }
        var parser = HeaderParser(UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)]), file: file)
        let (entries, metadata) = try parser.parse()
        let dataStart = 8 + headerLength
        let infos = try validate(entries, dataStart: dataStart, dataLength: bytes.count - dataStart, file: file)
        return (infos, metadata)
    }

    /// Checks dtypes, shapes and sizes, and that the offsets tile the data area exactly (in order,
    /// no gap, no overlap, nothing past the end), as the reference reader demands.
    static func validate(_ entries: [HeaderParser.Entry], dataStart: Int, dataLength: Int, file: String)
        throws -> [TensorInfo] {
        var infos: [TensorInfo] = []
        infos.reserveCapacity(entries.count)
        for entry in entries {
            guard let dtype = DType(headerName: entry.dtype) else {
                throw CheckpointError.unknownDType(key: entry.key, file: file, dtype: entry.dtype)
            }
            guard entry.offsets.count == 2 else {
                throw CheckpointError.invalidTensor(key: entry.key, file: file,
                                                    reason: "data_offsets has \(entry.offsets.count) values, not 2")
            }
            let (begin, end) = (entry.offsets[0], entry.offsets[1])
            guard begin <= end else {
                throw CheckpointError.invalidTensor(key: entry.key, file: file, reason: "data_offsets [\(begin), \(end)] run backwards")
            }
            guard end <= dataLength else {
                throw CheckpointError.truncated(file: file,
                                                detail: "tensor '\(entry.key)' ends at data offset \(end), past the \(dataLength) data bytes")
            }
            var count = 1
            for dim in entry.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dim)
                guard !overflow else {
                    throw CheckpointError.invalidTensor(key: entry.key, file: file, reason: "shape \(entry.shape) overflows")
                }
                count = product
            }
            let (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, bytesNeeded == end - begin else {
                throw CheckpointError.invalidTensor(
                    key: entry.key, file: file,
                    reason: "\(end - begin) data bytes do not match \(dtype.rawValue) x shape \(entry.shape)")
            }
            infos.append(TensorInfo(key: entry.key, dtype: dtype, shape: entry.shape,
                                    byteRange: (dataStart + begin)..<(dataStart + end)))
        }
        var expectedStart = dataStart
        for info in infos.sorted(by: { ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound) }) {
            guard info.byteRange.lowerBound == expectedStart else {
                let what = info.byteRange.lowerBound < expectedStart ? "overlaps the tensor before it" : "leaves a gap before it"
                throw CheckpointError.invalidTensor(key: info.key, file: file,
                                                    reason: "data_offsets start at \(info.byteRange.lowerBound - dataStart): \(what)")
            }
            expectedStart = info.byteRange.upperBound
        }
        guard expectedStart == dataStart + dataLength else {
            throw CheckpointError.invalidHeader(
                file: file, reason: "tensors cover \(expectedStart - dataStart) of the \(dataLength) data bytes")
        }
        return infos.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
    }
}
