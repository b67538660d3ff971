// Matches ComfyUI 0.8.0 comfy/sd1_clip.py escape_important, parse_parentheses, token_weights and
// unescape_important: the emphasis syntax `(text)`, `(text:1.3)`, `\(` `\)`.

/// A run of prompt text that shares one weight.
public struct WeightedSegment: Equatable, Sendable {
    public var text: String
    public var weight: Double

    public init(_ text: String, _ weight: Double) {
        self.text = text
        self.weight = weight
    }
}

/// ComfyUI's emphasis parser. Works on Unicode scalars, as Python iterates a `str`.
public enum PromptWeights {
    /// The prompt cut into weighted segments, escapes resolved (`\(` -> `(`).
    /// `(x)` multiplies the weight by 1.1; `(x:w)` sets it to `w` when the text after the last
    /// colon (at position > 0) is a Python float; unbalanced parentheses stay literal text.
    public static func segments(_ prompt: String) -> [WeightedSegment] {
        var text = Array(prompt.unicodeScalars)
        text = replacing(text, ["\\", ")"], with: escapedClose)
        text = replacing(text, ["\\", "("], with: escapedOpen)
        return tokenWeights(text, 1.0).map { part, weight in
            var plain = replacing(part, escapedClose, with: [")"])
            plain = replacing(plain, escapedOpen, with: ["("])
            return WeightedSegment(String(String.UnicodeScalarView(plain)), weight)
        }
    }

    // ComfyUI's placeholders for escaped parentheses, "\0\1" and "\0\2".
    private static let escapedClose: [Unicode.Scalar] = ["\u{0}", "\u{1}"]
    private static let escapedOpen: [Unicode.Scalar] = ["\u{0}", "\u{2}"]

    /// `token_weights`, with an explicit stack instead of recursion so that deep nesting cannot
    /// overflow a thread's stack. Items are expanded in place, keeping the recursive order.
    static func tokenWeights(_ text: [Unicode.Scalar], _ weight: Double) -> [([Unicode.Scalar], Double)] {
        enum Work { case parse([Unicode.Scalar], Double), leaf([Unicode.Scalar], Double) }
        var out: [([Unicode.Scalar], Double)] = []
        var stack: [Work] = [.parse(text, weight)]
        while let work = stack.popLast() {
            switch work {
            case let .leaf(part, w):
                out.append((part, w))
            case let .parse(part, current):
                var expanded: [Work] = []
                for item in parseParentheses(part) {
                    guard item.count >= 2, item.first == "(", item.last == ")" else {
                        expanded.append(.leaf(item, current)); continue
                    }
                    var inner = Array(item.dropFirst().dropLast())
                    var w = current * 1.1
                    if let colon = inner.lastIndex(of: ":"), colon > 0,
                       let number = PythonText.float(inner[(colon + 1)...]) {
                        w = number
                        inner = Array(inner[..<colon])
                    }
                    expanded.append(.parse(inner, w))
                }
                stack.append(contentsOf: expanded.reversed())
            }
        }
        return out
    }

    /// `parse_parentheses`: splits at top-level parenthesised groups, kept with their parentheses.
    /// A `)` at depth 0 is plain text but still lowers the depth, as in ComfyUI.
    static func parseParentheses(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var result: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var depth = 0
        for c in text {
            if c == "(" {
                if depth == 0 {
                    if !current.isEmpty { result.append(current) }
                    current = ["("]
                } else {
                    current.append(c)
                }
                depth += 1
            } else if c == ")" {
                depth -= 1
                current.append(c)
                if depth == 0 {
                    result.append(current)
                    current = []
                }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Python `str.replace(old, new)`: non-overlapping occurrences, left to right.
    static func replacing(_ text: [Unicode.Scalar], _ old: [Unicode.Scalar],
                          with new: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard let first = old.first, text.contains(first) else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if text[i] == first, i + old.count <= text.count, text[i..<(i + old.count)].elementsEqual(old) {
                out.append(contentsOf: new)
                i += old.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }
}
