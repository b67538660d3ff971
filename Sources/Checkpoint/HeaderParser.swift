import JSON

/// The safetensors JSON header read strictly (an object of tensor entries plus an optional
/// `__metadata__` object of strings) through the shared `JSONReader`: valid UTF-8 only, no
/// NaN/Infinity, at most 32 levels deep, every access bounded; the first problem is reported as a
/// `CheckpointError` naming the file (and the tensor, where there is one). Never traps.
struct HeaderParser {
    struct Entry {
        var key: String
        var dtype: String
        var shape: [Int]
        var offsets: [Int]
    }

    private static let options = JSONReader.Options(maxDepth: 32, allowsNonFinite: false, strictUnicode: true,
                                                    documentName: "the header")
    private let bytes: UnsafeRawBufferPointer
    private let file: String

    init(_ bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// The tensor entries in header order and the metadata map.
    mutating func parse() throws -> (entries: [Entry], metadata: [String: String]) {
        var reader = JSONReader(bytes, options: Self.options)
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        do {
            guard reader.peek() == UInt8(ascii: "{") else { throw failure("the header is not a JSON object") }
            var seen = Set<String>()
            try reader.readObject { reader, key in
                guard seen.insert(key).inserted else { throw CheckpointError.duplicateKey(key: key, file: file) }
                if key == "__metadata__" {
                    metadata = try readMetadata(&reader)
                } else {
                    entries.append(try readEntry(key, &reader))
                }
            }
            guard reader.peek() == nil else {
                throw failure("unexpected bytes after the JSON object at \(reader.offset)")
            }
        } catch let e as JSONSyntaxError {
            throw failure(e.description)
        }
        return (entries, metadata)
    }

    private func readEntry(_ key: String, _ reader: inout JSONReader) throws -> Entry {
        guard reader.peek() == UInt8(ascii: "{") else { throw invalid(key, "its entry is not a JSON object") }
        var dtype: String?, shape: [Int]?, offsets: [Int]?
        try reader.readObject { reader, field in
            switch field {
            case "dtype":
                guard reader.peek() == UInt8(ascii: "\"") else { throw invalid(key, "dtype is not a string") }
                dtype = try reader.readString()
            case "shape": shape = try readIntegers(key, field, &reader)
            case "data_offsets": offsets = try readIntegers(key, field, &reader)
            default: try reader.skipValue()
            }
        }
        guard let dtype, let shape, let offsets else {
            let missing = [("dtype", dtype == nil), ("shape", shape == nil), ("data_offsets", offsets == nil)]
                .filter(\.1).map(\.0).joined(separator: ", ")
            throw invalid(key, "its entry lacks \(missing)")
        }
        return Entry(key: key, dtype: dtype, shape: shape, offsets: offsets)
    }

    private func readMetadata(_ reader: inout JSONReader) throws -> [String: String] {
        if reader.peek() == UInt8(ascii: "n") {
            guard try reader.readValue() == .null else { throw failure("__metadata__ is not a JSON object") }
            return [:]
        }
        guard reader.peek() == UInt8(ascii: "{") else { throw failure("__metadata__ is not a JSON object") }
        var map: [String: String] = [:]
        try reader.readObject { reader, key in
            guard reader.peek() == UInt8(ascii: "\"") else { throw failure("__metadata__ value of '\(key)' is not a string") }
            map[key] = try reader.readString()
        }
        return map
    }

    /// A JSON array of non-negative integers that fit in `Int` (no fraction, no exponent).
    private func readIntegers(_ key: String, _ field: String, _ reader: inout JSONReader) throws -> [Int] {
        guard reader.peek() == UInt8(ascii: "[") else { throw invalid(key, "\(field) is not an array") }
        var values: [Int] = []
        try reader.readArray { reader in
            guard case .int(let v) = try reader.readValue(), v >= 0, let value = Int(exactly: v) else {
                throw invalid(key, "\(field) holds something other than a non-negative integer")
            }
            values.append(value)
        }
        return values
    }

    private func invalid(_ key: String, _ reason: String) -> CheckpointError {
        .invalidTensor(key: key, file: file, reason: reason)
    }

    private func failure(_ reason: String) -> CheckpointError {
        .invalidHeader(file: file, reason: reason)
    }
}
