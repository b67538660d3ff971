/// The one reader of JSON text (RFC 8259) in SwiftComfy: workflows and prompts (`JSONParser`) and
/// safetensors headers (Checkpoint's header reader) both read through it. It reads bytes in
/// place, bounds every access and the nesting depth, and stops at the first problem with a
/// `JSONSyntaxError` saying what and at which byte; it never traps on malformed input.
///
/// Pull style: `readObject` / `readArray` hand each member to a closure, which reads the value
/// with `readString`, `readValue`, `skipValue` or a nested `readObject`; `readValue` builds a
/// `JSONValue` (ordered keys, exact integers, last duplicate key wins).
public struct JSONReader {
    /// What the text may contain beyond strict RFC 8259.
    public struct Options: Sendable {
        /// Deepest nesting of arrays and objects.
        public var maxDepth: Int
        /// Python's `NaN`, `Infinity` and `-Infinity` are numbers (`json.dumps` writes them).
        public var allowsNonFinite: Bool
        /// Invalid UTF-8 and lone UTF-16 surrogate escapes are errors; otherwise they become U+FFFD.
        public var strictUnicode: Bool
        /// How messages name the text ("the header nests deeper than 32 levels").
        public var documentName: String

        public init(maxDepth: Int, allowsNonFinite: Bool, strictUnicode: Bool, documentName: String) {
            self.maxDepth = maxDepth
            self.allowsNonFinite = allowsNonFinite
            self.strictUnicode = strictUnicode
            self.documentName = documentName
        }

        /// Workflows and prompts: what Python's `json` and the frontend accept and write.
        public static let lenient = Options(maxDepth: 512, allowsNonFinite: true, strictUnicode: false,
                                            documentName: "the document")
    }

    private let bytes: UnsafeRawBufferPointer
    private let options: Options
    /// The byte offset of the next byte to read.
    public private(set) var offset = 0
    private var depth = 0

    public init(_ bytes: UnsafeRawBufferPointer, options: Options = .lenient) {
        self.bytes = bytes
        self.options = options
    }

    /// The next byte after white space, not consumed; nil at the end.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    public mutating func skip(bytes count: Int) { offset = min(offset + count, bytes.count) }

    public mutating func skipWhitespace() {
        while offset < bytes.count {
            let c = bytes[offset]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            offset += 1
        }
    }

    /// Reads `{ "key": value, ... }`, calling `member` with each key once the reader stands on its value.
    public mutating func readObject(_ member: (inout JSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        try enter()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "}") { offset += 1; return }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string key", showsOffset: false) }
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try member(&self, key)
            guard let next = peek() else { throw failure("the JSON object is not closed") }
            offset += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or '}'", at: offset - 1) }
        }
    }

    /// Reads `[ value, ... ]`, calling `element` once the reader stands on each value.
    public mutating func readArray(_ element: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        try enter()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "]") { offset += 1; return }
        while true {
            skipWhitespace()
            try element(&self)
            guard let next = peek() else { throw failure("an array is not closed") }
            offset += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or ']'", at: offset - 1) }
        }
    }

    /// Any value as a `JSONValue`. Duplicate keys: the last one wins, in the first one's place
    /// (as Python and JavaScript read them).
    public mutating func readValue() throws -> JSONValue {
        guard let c = peek() else { throw failure("a value is missing at the end") }
        switch c {
        case UInt8(ascii: "{"):
            var entries: [(key: String, value: JSONValue)] = []
            var index: [String: Int]?   // built once an object is large enough for scans to cost
            try readObject { reader, key in
                let value = try reader.readValue()
                if entries.count >= 16, index == nil {
                    index = Dictionary(entries.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
                }
                if let k = index.map({ $0[key] }) ?? entries.firstIndex(where: { $0.key == key }) {
                    entries[k].value = value
                } else {
                    index?[key] = entries.count
                    entries.append((key, value))
                }
            }
            return .object(JSONObject(entries))
        case UInt8(ascii: "["):
            var items: [JSONValue] = []
            try readArray { reader in items.append(try reader.readValue()) }
            return .array(items)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "N") where options.allowsNonFinite: try expectWord("NaN"); return .double(.nan)
        case UInt8(ascii: "I") where options.allowsNonFinite: try expectWord("Infinity"); return .double(.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw failure("bad JSON value", at: offset)
        }
    }

    /// Skips any value (a field the caller does not use), checked as `readValue` checks it.
    public mutating func skipValue() throws {
        switch peek() {
        case UInt8(ascii: "{")?: try readObject { reader, _ in try reader.skipValue() }
        case UInt8(ascii: "[")?: try readArray { reader in try reader.skipValue() }
        case UInt8(ascii: "\"")?: _ = try readString()
        default: _ = try readValue()
        }
    }

    /// A JSON string, escapes resolved.
    public mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = offset
        // Fast path: no escape before the closing quote.
        while offset < bytes.count {
            let c = bytes[offset]
            if c == UInt8(ascii: "\"") {
                let text = try decode(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
                offset += 1
                return text
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw failure("a string holds a raw control character", at: offset) }
            offset += 1
        }
        var utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while true {
            guard offset < bytes.count else { throw failure("a string is not closed") }
            let c = bytes[offset]
            offset += 1
            switch c {
            case UInt8(ascii: "\""): return try utf8.withUnsafeBytes { try decode($0) }
            case UInt8(ascii: "\\"): try readEscape(into: &utf8)
            case 0..<0x20: throw failure("a string holds a raw control character", at: offset - 1)
            default: utf8.append(c)
            }
        }
    }

    private func decode(_ utf8: UnsafeRawBufferPointer) throws -> String {
        guard options.strictUnicode else { return String(decoding: utf8, as: UTF8.self) }
        // Valid UTF-8 is exactly what decodes without replacement characters and encodes back unchanged.
        let text = String(decoding: utf8, as: UTF8.self)
        guard text.utf8.elementsEqual(utf8) else { throw failure("a string is not valid UTF-8") }
        return text
    }

    private mutating func readEscape(into utf8: inout [UInt8]) throws {
        guard offset < bytes.count else { throw failure("a string is not closed") }
        let c = bytes[offset]
        offset += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(c)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            let scalar = try readUnicodeEscape()
            utf8.append(contentsOf: String(Character(scalar)).utf8)
        default: throw failure("bad escape '\\\(Character(Unicode.Scalar(c)))'")
        }
    }

    /// The scalar of `\uXXXX` (after the `u`), joining a surrogate pair. A lone surrogate is an
    /// error in strict mode and U+FFFD otherwise (a Swift string cannot hold one).
    private mutating func readUnicodeEscape() throws -> Unicode.Scalar {
        let high = try readHex4()
        if (0xD800..<0xDC00).contains(high), bytes.count - offset >= 6,
           bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") {
            let save = offset
            offset += 2
            let low = try readHex4()
            if (0xDC00..<0xE000).contains(low), let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                return s
            }
            offset = save
        }
        if let s = Unicode.Scalar(high) { return s }
        if options.strictUnicode { throw failure("a lone UTF-16 surrogate in a string") }
        return "\u{FFFD}"
    }

    private mutating func readHex4() throws -> UInt32 {
        guard bytes.count - offset >= 4 else { throw failure("bad \\u escape", at: offset) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[offset])).hexDigitValue else {
                throw failure("bad \\u escape", at: offset)
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// A number: `.int` / `.uint` for integers in range (exact, so seeds up to 2^64-1 survive),
    /// `.bigInt` for larger integers, `.double` otherwise.
    private mutating func readNumber() throws -> JSONValue {
        let start = offset
        let negative = bytes[offset] == UInt8(ascii: "-")
        if negative {
            offset += 1
            if options.allowsNonFinite, offset < bytes.count, bytes[offset] == UInt8(ascii: "I") {
                try expectWord("Infinity")
                return .double(-.infinity)
            }
        }
        let intStart = offset
        var magnitude: UInt64 = 0, overflow = false
        while offset < bytes.count, let d = digit(bytes[offset]) {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            overflow = overflow || o1 || o2
            magnitude = s
            offset += 1
        }
        let intDigits = offset - intStart
        // JSON forbids a missing integer part and leading zeros (007).
        guard intDigits > 0, !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")) else {
            throw failure("bad JSON value", at: start)
        }
        var isInteger = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            isInteger = false
            guard skipDigits() > 0 else { throw failure("bad JSON value", at: start) }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            isInteger = false
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard skipDigits() > 0 else { throw failure("bad JSON value", at: start) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        if isInteger, !overflow {
            if !negative, let v = Int64(exactly: magnitude) { return .int(v) }
            if !negative { return .uint(magnitude) }
            if magnitude <= UInt64(Int64.max) + 1 { return .int(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)) }
        }
        // Beyond 64 bits, as Python's json keeps them: every digit (JSON has no leading zeros).
        if isInteger { return .bigInt(text) }
        guard let d = Double(text) else { throw failure("bad JSON value", at: start) }
        return .double(d)
    }

    private func digit(_ c: UInt8) -> UInt8? {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : nil
    }

    private mutating func skipDigits() -> Int {
        let start = offset
        while offset < bytes.count, digit(bytes[offset]) != nil { offset += 1 }
        return offset - start
    }

    private mutating func expectWord(_ word: StaticString) throws {
        let start = offset
        for i in 0..<word.utf8CodeUnitCount {
            guard offset < bytes.count, bytes[offset] == word.utf8Start[i] else { throw failure("bad JSON value", at: start) }
            offset += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'", at: offset) }
        offset += 1
    }

    private mutating func enter() throws {
        depth += 1
        guard depth <= options.maxDepth else {
            throw failure("\(options.documentName) nests deeper than \(options.maxDepth) levels")
        }
    }

    /// A problem at the end of the text or one its reason says all of.
    private func failure(_ reason: String, showsOffset: Bool = false) -> JSONSyntaxError {
        JSONSyntaxError(reason: reason, offset: offset, showsOffset: showsOffset)
    }

    /// A problem at byte `at`, which the located message names.
    private func failure(_ reason: String, at: Int) -> JSONSyntaxError {
        JSONSyntaxError(reason: reason, offset: at, showsOffset: true)
    }
}

/// Why `JSONReader` stopped: the reason and the byte offset where it found the problem.
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    /// What is wrong ("expected ':'", "a string is not closed").
    public let reason: String
    /// The byte offset of the problem in the text.
    public let offset: Int
    /// Whether the offset says more than the reason (a wrong byte somewhere, not the end).
    let showsOffset: Bool

    /// The reason with the offset where it helps: "expected ':' at 5", "a string is not closed".
    public var description: String { showsOffset ? "\(reason) at \(offset)" : reason }
}
