// Python 3.11 `float(str)`, `str.split()` and `str.strip()` semantics, which ComfyUI's prompt
// parser relies on (comfy/sd1_clip.py token_weights, SDTokenizer._try_get_embedding).

enum PythonText {
    /// Python's `str.isspace()`: Unicode White_Space plus the ASCII separators U+001C...U+001F.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.properties.isWhitespace || (0x1C...0x1F).contains(s.value)
    }

    /// The whitespace `float()` ignores around a number: ASCII " \t\n\v\f\r" only (not
    /// U+001C...U+001F, which CPython passes through unchanged), plus non-ASCII White_Space.
    static func isFloatSpace(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? s == " " || (0x09...0x0D).contains(s.value) : s.properties.isWhitespace
    }

    /// `str.split()` with no argument: runs of whitespace separate, empty fields are dropped.
    static func split(_ text: some Collection<Unicode.Scalar>) -> [[Unicode.Scalar]] {
        var fields: [[Unicode.Scalar]] = [], current: [Unicode.Scalar] = []
        for s in text {
            if isSpace(s) {
                if !current.isEmpty { fields.append(current); current = [] }
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { fields.append(current) }
        return fields
    }

    /// `str.strip(chars)`: removes the given characters at both ends.
    static func strip(_ text: [Unicode.Scalar], _ chars: Set<Unicode.Scalar>) -> [Unicode.Scalar] {
        guard let first = text.firstIndex(where: { !chars.contains($0) }),
              let last = text.lastIndex(where: { !chars.contains($0) }) else { return [] }
        return Array(text[first...last])
    }

    /// `float(text)`, or nil where Python raises ValueError. Accepts surrounding whitespace, a sign,
    /// `inf`/`infinity`/`nan` in any case, decimal literals with single underscores between digits,
    /// and digits of any script (Unicode category Nd), as Python does. Rejects hex, which Swift's
    /// `Double(String)` would accept.
    static func float(_ text: some Collection<Unicode.Scalar>) -> Double? {
        var scalars = Array(text)
        while let s = scalars.last, isFloatSpace(s) { scalars.removeLast() }
        let start = scalars.firstIndex(where: { !isFloatSpace($0) }) ?? scalars.endIndex
        scalars.removeFirst(start)

        var ascii = ""
        var index = 0
        if let s = scalars.first, s == "+" || s == "-" { ascii.append(Character(s)); index = 1 }
        let word = String(String.UnicodeScalarView(scalars[index...])).lowercased()
        switch word {
        case "inf", "infinity": return ascii == "-" ? -.infinity : .infinity
        case "nan": return .nan
        default: break
        }

        // number: [digitpart] "." digitpart | digitpart ["."] ; exponent: e [sign] digitpart
        var mantissaDigits = 0
        mantissaDigits += digitPart(scalars, &index, into: &ascii)
        if index < scalars.count, scalars[index] == "." {
            ascii.append("."); index += 1
            mantissaDigits += digitPart(scalars, &index, into: &ascii)
        }
        guard mantissaDigits > 0 else { return nil }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            ascii.append("e"); index += 1
            if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
                ascii.append(Character(scalars[index])); index += 1
            }
            guard digitPart(scalars, &index, into: &ascii) > 0 else { return nil }
        }
        guard index == scalars.count else { return nil }
        return Double(ascii)
    }

    /// Reads `digit (["_"] digit)*` at `index` and returns how many digits it read. An underscore
    /// not between two digits stays unread, so the caller rejects the literal.
    private static func digitPart(_ s: [Unicode.Scalar], _ index: inout Int, into ascii: inout String) -> Int {
        var count = 0
        while index < s.count {
            if let digit = decimalValue(s[index]) {
                ascii.append(Character(Unicode.Scalar(UInt8(48 + digit))))
                count += 1; index += 1
            } else if s[index] == "_", count > 0, index + 1 < s.count, decimalValue(s[index + 1]) != nil {
                index += 1
            } else {
                break
            }
        }
        return count
    }

    private static func decimalValue(_ s: Unicode.Scalar) -> Int? {
        guard s.properties.numericType == .decimal, let value = s.properties.numericValue else { return nil }
        return Int(value)
    }
}
