/// How Python 3 prints JSON-decoded values, for ComfyUI's validation messages (`str()`, `repr()`,
/// `"{}".format(v)`). ComfyUI formats `details` with f-strings, so these texts are part of its API.
public enum PythonText {
    /// `str(v)`: strings as is, everything else as `repr`.
    public static func str(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return repr(v)
    }

    /// `repr(v)` of the Python object `json.loads` makes: `'a'`, `8.0`, `True`, `None`, `['a', 1]`,
    /// `{'k': 'v'}`.
    public static func repr(_ v: JSONValue) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .bigInt(let digits): return digits
        case .double(let d): return float(d)
        case .string(let s): return reprString(s)
        case .array(let a): return "[" + a.map(repr).joined(separator: ", ") + "]"
        case .object(let o):
            return "{" + o.entries.map { reprString($0.key) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// `repr(float)`: `8.0`, `0.1`, `1e-05`, `1e+16`, `inf`, `nan`.
    public static func float(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return JSONValue.double(d).serialized(.python)
    }

    /// Python's string repr: single quotes unless the text has `'` and no `"`.
    public static func reprString(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(u) == quote { out += "\\" + String(quote) }
                else if u.value < 0x20 || u.value == 0x7F { out += "\\x" + hex(u.value, 2) }
                else { out.unicodeScalars.append(u) }
            }
        }
        out.append(quote)
        return out
    }

    /// Python type names used in TypeError texts.
    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int, .uint, .bigInt: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
