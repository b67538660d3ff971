/// Parses a whole JSON document (a workflow, a prompt, a captured body) into a `JSONValue`, as
/// Python's `json` reads it: `NaN`, `Infinity` and `-Infinity` are numbers, invalid UTF-8 and lone
/// surrogates become U+FFFD, the last of duplicate keys wins; a UTF-8 byte order mark is skipped.
/// Errors say where, by line and column.
public enum JSONParser {
    public struct Error: Swift.Error, Equatable, CustomStringConvertible {
        public let message: String
        public let line: Int
        public let column: Int
        public var description: String { "invalid JSON at line \(line), column \(column): \(message)" }
    }

    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            if raw.starts(with: [0xEF, 0xBB, 0xBF]) { reader.skip(bytes: 3) }
            do {
                guard reader.peek() != nil else { throw error("the document is empty", at: reader.offset, in: raw) }
                let value = try reader.readValue()
                guard reader.peek() == nil else { throw error("unexpected text after the JSON value", at: reader.offset, in: raw) }
                return value
            } catch let e as JSONSyntaxError {
                throw error(e.reason, at: e.offset, in: raw)
            }
        }
    }

    /// Line and column (1-based; a column counts characters, not bytes) of byte `offset`.
    private static func error(_ message: String, at offset: Int, in bytes: UnsafeRawBufferPointer) -> Error {
        var line = 1, column = 1
        for b in bytes[..<min(offset, bytes.count)] {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return Error(message: message, line: line, column: column)
    }
}
