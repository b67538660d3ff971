/// Matches frontend 1.35.9 `processDynamicPrompt` (packages/shared-frontend-utils formatUtil.ts),
/// applied to widgets of inputs flagged `dynamicPrompts: true` when the prompt is built:
/// `/* ... */` and `// ...` (to the end of the line) are removed, `{a|b|c}` is replaced by one
/// option picked at random (nested blocks allowed), `{x}` becomes `x`, and `\{ \} \|` become
/// literal characters while other backslash pairs are kept. Works on UTF-16 code units, as
/// JavaScript does.
public struct DynamicPrompt {
    /// Returns a number in [0, 1), like `Math.random()`.
    public typealias Random = () -> Double

    private let random: Random
    private let depth: Int
    private static let maxDepth = 200

    public init(random: @escaping Random = { Double.random(in: 0..<1) }) {
        self.init(random: random, depth: 0)
    }

    private init(random: @escaping Random, depth: Int) {
        self.random = random
        self.depth = depth
    }

    public func process(_ text: String) -> String {
        String(decoding: process(Array(stripComments(Array(text.utf16)))), as: UTF16.self)
    }

    private static let slash = UInt16(UInt8(ascii: "/")), star = UInt16(UInt8(ascii: "*"))
    private static let backslash = UInt16(UInt8(ascii: "\\")), pipe = UInt16(UInt8(ascii: "|"))
    private static let open = UInt16(UInt8(ascii: "{")), close = UInt16(UInt8(ascii: "}"))
    /// JavaScript's `.` stops at these line terminators.
    private static let lineTerminators: Set<UInt16> = [0x0A, 0x0D, 0x2028, 0x2029]

    /// `str.replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, '')`: at each position a closed block comment
    /// wins, else a line comment; an unclosed `/*` stays.
    func stripComments(_ s: [UInt16]) -> [UInt16] {
        var out: [UInt16] = []
        var i = 0
        while i < s.count {
            if s[i] == Self.slash, i + 1 < s.count, s[i + 1] == Self.star, let end = blockEnd(s, from: i + 2) {
                i = end
                continue
            }
            if s[i] == Self.slash, i + 1 < s.count, s[i + 1] == Self.slash {
                i += 2
                while i < s.count, !Self.lineTerminators.contains(s[i]) { i += 1 }
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    private func blockEnd(_ s: [UInt16], from start: Int) -> Int? {
        var j = start
        while j + 1 < s.count {
            if s[j] == Self.star, s[j + 1] == Self.slash { return j + 2 }
            j += 1
        }
        return nil
    }

    fileprivate func process(_ input: [UInt16]) -> [UInt16] {
        var i = 0
        var result: [UInt16] = []
        while i < input.count {
            let c = input[i]
            i += 1
            if c == Self.backslash {
                result += escape(input, &i)
            } else if c == Self.open {
                result += choice(input, &i)
            } else {
                result.append(c)
            }
        }
        return unescapeBraces(result)
    }

    /// `'\\' + input[i++]`; past the end JavaScript appends "undefined", and so do we.
    private func escape(_ input: [UInt16], _ i: inout Int) -> [UInt16] {
        defer { i += 1 }
        return [Self.backslash] + (i < input.count ? [input[i]] : Array("undefined".utf16))
    }

    private func choice(_ input: [UInt16], _ i: inout Int) -> [UInt16] {
        var options: [[UInt16]] = []
        var current: [UInt16] = []
        var depth = 0
        while i < input.count {
            let c = input[i]
            i += 1
            if c == Self.backslash {
                current += escape(input, &i)
                continue
            } else if c == Self.open {
                depth += 1
            } else if c == Self.close {
                if depth == 0 { break }
                depth -= 1
            } else if c == Self.pipe, depth == 0 {
                options.append(current)
                current = []
                continue
            }
            current.append(c)
        }
        options.append(current)
        let r = random() * Double(options.count)
        let pick = r.isFinite ? min(max(Int(r.rounded(.down).clamped(to: -1...1e9)), 0), options.count - 1) : 0
        // The frontend recurses once per nesting level; past a sane depth the text is kept as is
        // rather than exhausting the stack.
        guard depth < Self.maxDepth else { return options[pick] }
        return DynamicPrompt(random: random, depth: depth + 1).process(stripComments(options[pick]))
    }

    /// `.replace(/\\([{}|])/g, '$1')`
    private func unescapeBraces(_ s: [UInt16]) -> [UInt16] {
        var out: [UInt16] = []
        var i = 0
        while i < s.count {
            if s[i] == Self.backslash, i + 1 < s.count, [Self.open, Self.close, Self.pipe].contains(s[i + 1]) {
                out.append(s[i + 1])
                i += 2
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }
}

private extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
