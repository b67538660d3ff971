/// Serialises `JSONValue` in the styles SwiftComfy needs.
public enum JSONStyle: Sendable {
    /// `{"a":1,"b":[2,3]}`, numbers as JavaScript prints them (`JSON.stringify(value)`).
    case compact
    /// `JSON.stringify(value, null, 2)`: two-space indentation, `": "` after keys, numbers as
    /// JavaScript prints them. The layout of the frontend's exports and of `swiftcomfy convert`.
    case pretty
    /// Python's `json.dumps` defaults: `", "` and `": "`, non-ASCII as `\uXXXX`, floats always with
    /// a fraction (`8.0`), `NaN`/`Infinity`. ComfyUI writes PNG and latent metadata this way.
    case python
    /// `json.dumps(value, separators=(",", ":"))`: `.python` without spaces. The safetensors
    /// header as the reference writers produce it.
    case pythonCompact

    var isPython: Bool { self == .python || self == .pythonCompact }
    /// Between items, and between a key and its value.
    var separators: (item: String, key: String) {
        switch self {
        case .compact, .pythonCompact: return (",", ":")
        case .pretty: return (",", ": ")
        case .python: return (", ", ": ")
        }
    }
}

extension JSONValue {
    public func serialized(_ style: JSONStyle = .compact) -> String {
        var out = ""
        write(into: &out, style: style, indent: 0)
        return out
    }

    private func write(into out: inout String, style: JSONStyle, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .bigInt(let digits): out += digits
        case .double(let d): out += Self.format(d, style: style)
        case .string(let s): Self.writeString(s, into: &out, asciiOnly: style.isPython)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += style.separators.item }
                if style == .pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(into: &out, style: style, indent: indent + 1)
            }
            if style == .pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let object):
            if object.isEmpty { out += "{}"; return }
            out += "{"
            for (n, entry) in object.entries.enumerated() {
                if n > 0 { out += style.separators.item }
                if style == .pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                Self.writeString(entry.key, into: &out, asciiOnly: style.isPython)
                out += style.separators.key
                entry.value.write(into: &out, style: style, indent: indent + 1)
            }
            if style == .pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    /// `.python`: Python's `repr(float)` (what `json.dumps` writes): shortest round-trip digits,
    /// always a `.0` or an exponent, exponent form when the decimal exponent is below -4 or
    /// above 16, at least two exponent digits (`1e-05`, `1e+16`, `1000000000000000.0`).
    /// `.compact`/`.pretty`: JavaScript's `Number.prototype.toString` (what the frontend's
    /// `JSON.stringify` writes): no `.0`, exponent form from 1e21 and below 1e-6 (`1e+21`, `1e-7`).
    static func format(_ d: Double, style: JSONStyle) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        let sign = d.sign == .minus ? "-" : ""
        if d == 0 { return style.isPython ? sign + "0.0" : "0" }   // JavaScript prints -0 as "0"
        let (digits, point) = shortestDigits(abs(d))
        let k = digits.count
        if style.isPython {
            if point <= -4 || point > 16 { return sign + exponentForm(digits, point - 1, minimumDigits: 2) }
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= k { return sign + digits + String(repeating: "0", count: point - k) + ".0" }
            return sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        if k <= point, point <= 21 { return sign + digits + String(repeating: "0", count: point - k) }
        if 0 < point, point <= 21 { return sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point)) }
        if -6 < point, point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        return sign + exponentForm(digits, point - 1, minimumDigits: 1)
    }

    private static func exponentForm(_ digits: String, _ exponent: Int, minimumDigits: Int) -> String {
        let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        var e = String(abs(exponent))
        if e.count < minimumDigits { e = String(repeating: "0", count: minimumDigits - e.count) + e }
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + e
    }

    /// The shortest round-trip decimal digits of a positive finite value (no leading or trailing
    /// zeros) and the position of the decimal point: value = 0.DIGITS x 10^point.
    static func shortestDigits(_ d: Double) -> (digits: String, point: Int) {
        let text = "\(d)"   // Swift prints the shortest round-trip digits: "8.0", "1e-05", "1.5e+16"
        var mantissa = Substring(text), exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(String(text[text.index(after: e)...].filter { $0 != "+" })) ?? 0
        }
        let dot = mantissa.firstIndex(of: ".")
        let integerPart = dot.map { mantissa[..<$0] } ?? mantissa
        let fraction = dot.map { mantissa[mantissa.index(after: $0)...] } ?? ""
        var digits = Array(integerPart + fraction)
        var point = integerPart.count + exponent
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        return (String(digits), point)
    }

    /// A JSON string literal. `asciiOnly`: as Python's `ensure_ascii` (everything outside
    /// space...`~` as `\uXXXX`, UTF-16 surrogate pairs above U+FFFF); otherwise only control
    /// characters are escaped, as JavaScript does.
    public static func quoted(_ s: String, asciiOnly: Bool) -> String {
        var out = ""
        writeString(s, into: &out, asciiOnly: asciiOnly)
        return out
    }

    static func writeString(_ s: String, into out: inout String, asciiOnly: Bool) {
        // Most keys and values need no escape: printable ASCII without a quote or a backslash.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for u in s.unicodeScalars {
            if let escape = shortEscapes[u] {
                out += escape
            } else if u.value < 0x20 || (asciiOnly && u.value > 0x7E) {
                if u.value > 0xFFFF {
                    let v = u.value - 0x10000
                    out += hex4(0xD800 + (v >> 10)) + hex4(0xDC00 + (v & 0x3FF))
                } else {
                    out += hex4(u.value)
                }
            } else {
                out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    /// The two-character escapes JSON has (Python and JavaScript use them all).
    private static let shortEscapes: [Unicode.Scalar: String] = [
        "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u{08}": "\\b", "\u{0C}": "\\f",
    ]

    private static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }
}
