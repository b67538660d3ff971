/// Serialises `JSONValue` in the styles SwiftComfy needs.
public enum JSONStyle: Sendable {
    /// `{"a":1,"b":[2,3]}`
    case compact
    /// Two-space indentation, `": "` after keys.
    case pretty
    /// Python's `json.dumps` defaults: `", "` and `": "`, non-ASCII as `\uXXXX`, floats always with
    /// a fraction (`8.0`), `NaN`/`Infinity`. ComfyUI writes PNG and latent metadata this way.
    case python
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
        case .double(let d): out += Self.format(d, style: style)
        case .string(let s): Self.writeString(s, into: &out, asciiOnly: style == .python)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += style == .compact ? "," : (style == .python ? ", " : ",") }
                if style == .pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(into: &out, style: style, indent: indent + 1)
            }
            if style == .pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let object):
            if object.isEmpty { out += "{}"; return }
            out += "{"
            for (n, entry) in object.entries.enumerated() {
                if n > 0 { out += style == .compact ? "," : (style == .python ? ", " : ",") }
                if style == .pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                Self.writeString(entry.key, into: &out, asciiOnly: style == .python)
                out += style == .compact ? ":" : ": "
                entry.value.write(into: &out, style: style, indent: indent + 1)
            }
            if style == .pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    /// Python `repr(float)`: shortest round-trip digits, always with a `.` or exponent.
    static func format(_ d: Double, style: JSONStyle) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if style != .python, d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
        var s = "\(d)"  // Swift prints shortest round-trip digits: "8.0", "1e-05", "1e+16"
        if style == .python {
            // Python: exponent form below 1e-4 and from 1e16, with two-digit exponents ("1e-05").
            if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                var mantissa = String(s[..<e])
                var exponent = String(s[s.index(after: e)...])
                if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
                let sign = exponent.hasPrefix("-") ? "-" : "+"
                exponent = String(exponent.drop { $0 == "-" || $0 == "+" })
                if exponent.count < 2 { exponent = "0" + exponent }
                s = mantissa + "e" + sign + exponent
            }
        }
        return s
    }

    static func writeString(_ s: String, into out: inout String, asciiOnly: Bool) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || (asciiOnly && u.value > 0x7E) {
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
        }
        out += "\""
    }

    private static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }
}
