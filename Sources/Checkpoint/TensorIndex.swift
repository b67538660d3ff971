import Foundation
import TensorCore

/// How a `TensorIndex` renames the keys of its files. Rules are tried in order; the first whose
/// prefix matches renames the key, and keys matching no rule keep their name.
public enum KeyRename: Sendable, Equatable {
    /// `prefix + rest` -> `rest`.
    case stripPrefix(String)
    /// `prefix + rest` -> `replacement + rest`.
    case replacePrefix(String, with: String)
    /// Drops every key with this prefix from the index.
    case dropPrefix(String)

    /// The new name, `.some(nil)` when the key is dropped, nil when the rule does not apply.
    func apply(_ key: String) -> String?? {
        switch self {
        case .stripPrefix(let p):
            return key.hasPrefix(p) ? .some(String(key.dropFirst(p.count))) : nil
        case let .replacePrefix(p, replacement):
            return key.hasPrefix(p) ? .some(replacement + key.dropFirst(p.count)) : nil
        case .dropPrefix(let p):
            return key.hasPrefix(p) ? .some(nil) : nil
        }
    }
}

/// Key -> stored tensor over one or more safetensors files, with optional renaming. Loaders read
/// through it: shapes without touching data, tensors as stored (mapped windows) or converted to
/// Float32, and afterwards the keys nobody read (`unusedKeys`). Thread-safe.
public final class TensorIndex: @unchecked Sendable {
    public struct Entry: Sendable {
        /// The key inside its file (before renaming).
        public let storedKey: String
        public let info: TensorInfo
        public let source: SafeTensorsFile
    }

    public let files: [SafeTensorsFile]
    private let entries: [String: Entry]
    private var used = Set<String>()
    private let lock = NSLock()

    /// The file name(s) for error messages.
    public var file: String { files.map(\.url.lastPathComponent).joined(separator: " + ") }

    /// Every key (after renaming), sorted.
    public var keys: [String] { entries.keys.sorted() }

    /// Indexes `files`; `rename` maps stored keys to the names loaders use. Two tensors under one
    /// name is an error naming the key.
    public init(files: [SafeTensorsFile], rename: [KeyRename] = []) throws {
        self.files = files
        var map: [String: Entry] = [:]
        for source in files {
            for stored in source.keys {
                var name: String? = stored
                for rule in rename {
                    if let renamed = rule.apply(stored) { name = renamed; break }
                }
                guard let name, let info = source.info(stored) else { continue }
                guard map[name] == nil else {
                    throw CheckpointError.duplicateKey(key: name, file: files.map(\.url.lastPathComponent).joined(separator: " + "))
                }
                map[name] = Entry(storedKey: stored, info: info, source: source)
            }
        }
        entries = map
    }

    /// Opens and indexes the files at `urls`.
    public convenience init(urls: [URL], rename: [KeyRename] = []) throws {
        try self.init(files: urls.map { try SafeTensorsFile(url: $0) }, rename: rename)
    }

    /// Opens and indexes one file.
    public convenience init(url: URL, rename: [KeyRename] = []) throws {
        try self.init(urls: [url], rename: rename)
    }

    public func contains(_ key: String) -> Bool { entries[key] != nil }

    /// Where `key` is stored, or nil.
    public func entry(_ key: String) -> Entry? { entries[key] }

    /// The shape of `key`, read from the header only.
    public func shape(of key: String) throws -> [Int] {
        guard let e = entries[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        return e.info.shape
    }

    public func shapeIfPresent(_ key: String) -> [Int]? { entries[key]?.info.shape }

    /// The stored dtype of `key`, or nil.
    public func dtype(of key: String) -> DType? { entries[key]?.info.dtype }

    /// The tensor `key` as Float32; marks it as used.
    public func tensor(_ key: String) throws -> Tensor { try stored(key).float32() }

    /// The tensor `key` as Float32, after checking that it has `shape`; marks it as used.
    public func tensor(_ key: String, shape: [Int]) throws -> Tensor { try stored(key, shape: shape).float32() }

    /// The tensor `key` as stored (its file dtype, a window of the mapped file); marks it as used.
    public func stored(_ key: String) throws -> StoredTensor {
        guard let e = entries[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        markUsed(key)
        return e.source.stored(e.info)
    }

    /// The tensor `key` as stored, after checking that it has `shape`; marks it as used.
    public func stored(_ key: String, shape: [Int]) throws -> StoredTensor {
        let actual = try self.shape(of: key)
        guard actual == shape else {
            throw CheckpointError.shapeMismatch(key: key, file: file, expected: shape, actual: actual)
        }
        return try stored(key)
    }

    /// The stored bytes of `key` (in its file dtype), valid only inside `body`; marks it as used.
    public func withRawBytes<R>(_ key: String, _ body: (UnsafeRawBufferPointer, TensorInfo) throws -> R) throws -> R {
        guard let e = entries[key] else { throw CheckpointError.missingTensor(key: key, file: file) }
        markUsed(key)
        return try e.source.withRawBytes(e.storedKey, body)
    }

    /// Records `key` as consumed without reading it (e.g. a tensor that is deliberately ignored).
    public func markUsed(_ key: String) {
        lock.lock(); defer { lock.unlock() }
        used.insert(key)
    }

    /// Keys no loader has read, sorted.
    public var unusedKeys: [String] {
        lock.lock(); defer { lock.unlock() }
        return entries.keys.filter { !used.contains($0) }.sorted()
    }
}
