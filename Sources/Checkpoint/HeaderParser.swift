import Foundation

/// A strict reader of the safetensors JSON header (an object of tensor entries plus an optional
/// `__metadata__` object of strings). It reads bytes directly, bounds every access and nesting
/// level, and reports the first problem; it never traps on malformed input.
struct HeaderParser {
    struct Entry {
        var key: String
        var dtype: String
        var shape: [Int]
        var offsets: [Int]
    }

    private let bytes: UnsafeRawBufferPointer
    private let file: String
    private var position = 0
    private static let maxDepth = 32

    init(_ bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// The tensor entries in header order and the metadata map.
    mutating func parse() throws -> (entries: [Entry], metadata: [String: String]) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw failure("the header is not a JSON object") }
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        var seen = Set<String>()
        try readObject { parser, key in
            guard seen.insert(key).inserted else { throw CheckpointError.duplicateKey(key: key, file: parser.file) }
            if key == "__metadata__" {
                metadata = try parser.readMetadata()
            } else {
                entries.append(try parser.readEntry(key))
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected bytes after the JSON object at \(position)") }
        return (entries, metadata)
    }

    private mutating func readEntry(_ key: String) throws -> Entry {
        guard peek() == UInt8(ascii: "{") else {
            throw CheckpointError.invalidTensor(key: key, file: file, reason: "its entry is not a JSON object")
        }
        var dtype: String?, shape: [Int]?, offsets: [Int]?
        try readObject { parser, field in
            switch field {
            case "dtype": dtype = try parser.readString()
            case "shape": shape = try parser.readIntegers(key, field)
            case "data_offsets": offsets = try parser.readIntegers(key, field)
            default: try parser.skipValue(depth: 1)
            }
        }
        guard let dtype, let shape, let offsets else {
            let missing = [("dtype", dtype == nil), ("shape", shape == nil), ("data_offsets", offsets == nil)]
                .filter(\.1).map(\.0).joined(separator: ", ")
            throw CheckpointError.invalidTensor(key: key, file: file, reason: "its entry lacks \(missing)")
        }
        return Entry(key: key, dtype: dtype, shape: shape, offsets: offsets)
    }

    private mutating func readMetadata() throws -> [String: String] {
        if peek() == UInt8(ascii: "n") { try expectLiteral("null"); return [:] }
        guard peek() == UInt8(ascii: "{") else { throw failure("__metadata__ is not a JSON object") }
        var map: [String: String] = [:]
        try readObject { parser, key in
            guard parser.peek() == UInt8(ascii: "\"") else {
                throw parser.failure("__metadata__ value of '\(key)' is not a string")
            }
            map[key] = try parser.readString()
        }
        return map
    }

    /// Reads `{ "key": value, ... }`, calling `member` with the position on each value.
    private mutating func readObject(_ member: (inout HeaderParser, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            let key = try readString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try member(&self, key)
            skipWhitespace()
            guard let next = peek() else { throw failure("the JSON object is not closed") }
            position += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or '}' at \(position - 1)") }
        }
    }

    /// A JSON array of non-negative integers that fit in `Int`.
    private mutating func readIntegers(_ key: String, _ field: String) throws -> [Int] {
        guard peek() == UInt8(ascii: "[") else {
            throw CheckpointError.invalidTensor(key: key, file: file, reason: "\(field) is not an array")
        }
        position += 1
        var values: [Int] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return values }
        while true {
            skipWhitespace()
            guard let value = readNonNegativeInteger() else {
                throw CheckpointError.invalidTensor(key: key, file: file,
                                                    reason: "\(field) holds something other than a non-negative integer")
            }
            values.append(value)
            skipWhitespace()
            guard let next = peek() else { throw failure("an array is not closed") }
            position += 1
            if next == UInt8(ascii: "]") { return values }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or ']' at \(position - 1)") }
        }
    }

    /// Digits without sign, fraction or exponent; nil when the number is anything else or overflows.
    private mutating func readNonNegativeInteger() -> Int? {
        let start = position
        var value = 0
        while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(c - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = sum
            position += 1
        }
        if position == start { return nil }
        if position - start > 1 && bytes[start] == UInt8(ascii: "0") { return nil }   // JSON forbids 007
        if let c = peek(), c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { return nil }
        return value
    }

    /// A JSON string, with escapes resolved and UTF-8 validated.
    private mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        var utf8: [UInt8] = []
        while true {
            guard let c = peek() else { throw failure("a string is not closed") }
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let text = String(bytes: utf8, encoding: .utf8) else { throw failure("a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                try readEscape(into: &utf8)
            case 0..<0x20:
                throw failure("a string holds a raw control character at \(position - 1)")
            default:
                utf8.append(c)
            }
        }
    }

    private mutating func readEscape(into utf8: inout [UInt8]) throws {
        guard let c = peek() else { throw failure("a string is not closed") }
        position += 1
        let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C,
                                      0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
        if let byte = simple[c] { utf8.append(byte); return }
        guard c == UInt8(ascii: "u") else { throw failure("bad escape '\\\(Character(Unicode.Scalar(c)))'") }
        var scalar = try readHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard peek() == UInt8(ascii: "\\") else { throw failure("a lone UTF-16 surrogate in a string") }
            position += 1
            guard peek() == UInt8(ascii: "u") else { throw failure("a lone UTF-16 surrogate in a string") }
            position += 1
            let low = try readHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("a lone UTF-16 surrogate in a string") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure("a lone UTF-16 surrogate in a string") }
        utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    private mutating func readHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), let digit = Character(Unicode.Scalar(c)).hexDigitValue else {
                throw failure("bad \\u escape at \(position)")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Skips any JSON value (for fields this reader does not use), bounded in depth.
    private mutating func skipValue(depth: Int) throws {
        guard depth <= Self.maxDepth else { throw failure("the header nests deeper than \(Self.maxDepth) levels") }
        guard let c = peek() else { throw failure("a value is missing at the end") }
        switch c {
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "{"): try readObject { parser, _ in try parser.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { position += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard let next = peek() else { throw failure("an array is not closed") }
                position += 1
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else { throw failure("expected ',' or ']' at \(position - 1)") }
            }
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: try skipNumber()
        }
    }

    private mutating func skipNumber() throws {
        let start = position
        let allowed = Set("+-0123456789.eE".utf8)
        while let c = peek(), allowed.contains(c) { position += 1 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard !text.isEmpty, Double(text) != nil else { throw failure("bad JSON value at \(start)") }
    }

    private mutating func expectLiteral(_ literal: String) throws {
        for byte in literal.utf8 { try expect(byte) }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else {
            throw failure("expected '\(Character(Unicode.Scalar(byte)))' at \(position)")
        }
        position += 1
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    private func failure(_ reason: String) -> CheckpointError {
        .invalidHeader(file: file, reason: reason)
    }
}
