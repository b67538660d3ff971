/// Python's `int()`, `float()`, `str()`, `bool()` on JSON-decoded values, as ComfyUI 0.8.0's
/// `validate_inputs` applies them to widget values. Failures carry Python's exception text.
public enum PythonCoercion {
    public struct Failure: Error, Equatable {
        public let message: String
        public init(message: String) { self.message = message }
    }

    /// `int(v)`: floats truncate toward zero, bools are 0/1, strings may have surrounding whitespace,
    /// a sign and `_` between digits. Results beyond 64 bits are `.bigInt`, exact as Python's.
    public static func int(_ v: JSONValue) throws -> JSONValue {
        switch v {
        case .int, .uint, .bigInt: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d):
            if d.isNaN { throw Failure(message: "cannot convert float NaN to integer") }
            if d.isInfinite { throw Failure(message: "cannot convert float infinity to integer") }
            return integral(d.rounded(.towardZero))
        case .string(let s):
            guard let value = parseInt(s) else {
                throw Failure(message: "invalid literal for int() with base 10: \(PythonText.reprString(s))")
            }
            return value
        default:
            throw Failure(message: "int() argument must be a string, a bytes-like object or a real number, not '\(PythonText.typeName(v))'")
        }
    }

    /// `float(v)`.
    public static func float(_ v: JSONValue) throws -> JSONValue {
        switch v {
        case .double: return v
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .bigInt(let digits):
            // Python: float(int) raises past the double range.
            guard let d = Double(digits), d.isFinite else { throw Failure(message: "int too large to convert to float") }
            return .double(d)
        case .bool(let b): return .double(b ? 1 : 0)
        case .string(let s):
            guard let d = parseFloat(s) else {
                throw Failure(message: "could not convert string to float: \(PythonText.reprString(s))")
            }
            return .double(d)
        default:
            throw Failure(message: "float() argument must be a string or a real number, not '\(PythonText.typeName(v))'")
        }
    }

    /// `str(v)`.
    public static func str(_ v: JSONValue) -> JSONValue { .string(PythonText.str(v)) }

    /// `bool(v)`: Python truthiness (`"false"` is True).
    public static func bool(_ v: JSONValue) -> JSONValue {
        switch v {
        case .null: return .bool(false)
        case .bool: return v
        case .int(let i): return .bool(i != 0)
        case .uint(let u): return .bool(u != 0)
        case .bigInt: return .bool(true)  // never zero
        case .double(let d): return .bool(d != 0)
        case .string(let s): return .bool(!s.isEmpty)
        case .array(let a): return .bool(!a.isEmpty)
        case .object(let o): return .bool(!o.isEmpty)
        }
    }

    /// An integral, finite double as Python's exact `int`.
    static func integral(_ d: Double) -> JSONValue {
        if let i = Int64(exactly: d) { return .int(i) }
        if let u = UInt64(exactly: d) { return .uint(u) }
        return .bigInt(BigDigits.of(d))
    }

    /// Python's whitespace set for `int()`/`float()` stripping (ASCII part; enough for JSON input).
    static func stripped(_ s: String) -> Substring {
        let ws: Set<Character> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        var sub = Substring(s)
        while let f = sub.first, ws.contains(f) { sub = sub.dropFirst() }
        while let l = sub.last, ws.contains(l) { sub = sub.dropLast() }
        return sub
    }

    /// Removes `_` that sits between two digits; nil if an underscore is misplaced.
    static func withoutUnderscores(_ s: Substring) -> String? {
        let c = Array(s)
        var out = ""
        for (i, ch) in c.enumerated() {
            if ch == "_" {
                guard i > 0, i + 1 < c.count, c[i - 1].isASCII, c[i - 1].isNumber, c[i + 1].isASCII, c[i + 1].isNumber else { return nil }
                continue
            }
            out.append(ch)
        }
        return out
    }

    static func parseInt(_ s: String) -> JSONValue? {
        guard var body = withoutUnderscores(stripped(s)) else { return nil }
        var negative = false
        if body.hasPrefix("+") || body.hasPrefix("-") { negative = body.hasPrefix("-"); body.removeFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if negative, let i = Int64("-" + body) { return .int(i) }
        if !negative, let i = Int64(body) { return .int(i) }
        if !negative, let u = UInt64(body) { return .uint(u) }
        let digits = String(body.drop { $0 == "0" })
        return .bigInt((negative ? "-" : "") + digits)
    }

    static func parseFloat(_ s: String) -> Double? {
        guard var body = withoutUnderscores(stripped(s)), !body.isEmpty else { return nil }
        var sign = 1.0
        if body.hasPrefix("+") || body.hasPrefix("-") { sign = body.hasPrefix("-") ? -1 : 1; body.removeFirst() }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        // Python accepts digits with optional fraction and exponent; no hex, no bare "." .
        let allowed = Set("0123456789.eE+-")
        guard body.allSatisfy({ allowed.contains($0) }), body.contains(where: { $0.isNumber }),
              let first = body.first, first.isNumber || first == "." else { return nil }
        guard let d = Double(body) else { return nil }
        return sign * d
    }
}

/// Decimal digits of an integral double beyond 64 bits (Python's `int(1e20)` is
/// 100000000000000000000): its 53-bit significand times 2^exponent, doubled digit by digit.
enum BigDigits {
    static func of(_ d: Double) -> String {
        var digits = Array(String(d.significandBitPattern | (1 << 52)).utf8).reversed().map { $0 - 48 }  // least significant first
        for _ in 0..<max(0, Int(d.exponent) - 52) {
            var carry: UInt8 = 0
            for i in digits.indices {
                let v = digits[i] * 2 + carry
                digits[i] = v % 10
                carry = v / 10
            }
            if carry > 0 { digits.append(carry) }
        }
        return (d < 0 ? "-" : "") + String(decoding: digits.reversed().map { $0 + 48 }, as: UTF8.self)
    }
}
