import Testing
@testable import Models

/// Oracle: ../shared/docs/comfyui-compat.md section 7.2, every row of its table (verified there
/// with ComfyUI 0.8.0's token_weights), plus cases read off comfy/sd1_clip.py. Exact weights.
@Suite struct TokenizerEmphasisTests {
    static let table: [(String, [WeightedSegment])] = [
        ("(cat)", [.init("cat", 1.1)]),
        ("((cat))", [.init("cat", 1.1 * 1.1)]),
        ("(cat:1.5)", [.init("cat", 1.5)]),
        ("((cat:1.5))", [.init("cat", 1.5)]),
        ("(red (cat):0.5)", [.init("red ", 0.5), .init("cat", 0.5 * 1.1)]),
        ("(cat:1.5:2)", [.init("cat:1.5", 2.0)]),
        ("(cat: 1.2 )", [.init("cat", 1.2)]),
        ("(cat:abc)", [.init("cat:abc", 1.1)]),
        ("(:1.2)", [.init(":1.2", 1.1)]),
        ("\\(cat\\)", [.init("(cat)", 1.0)]),
        ("(cat", [.init("(cat", 1.0)]),
        ("[cat]", [.init("[cat]", 1.0)]),
        ("(a:1.2), b, (c)", [.init("a", 1.2), .init(", b, ", 1.0), .init("c", 1.1)]),
        // Beyond the table: empty groups vanish; a stray ")" leaves the depth at -1, so later
        // parentheses are plain text; "\\(" keeps the escape of "(".
        ("a () b", [.init("a ", 1.0), .init(" b", 1.0)]),
        ("a) (b)", [.init("a) (b)", 1.0)]),
        ("((a)", [.init("(a", 1.1)]),
        ("(x:-0.5) (y:0) (z:1e1)", [.init("x", -0.5), .init(" ", 1.0), .init("y", 0), .init(" ", 1.0), .init("z", 10)]),
    ]

    @Test(arguments: table.indices)
    func compatTableRow(_ row: Int) {
        let (prompt, expected) = Self.table[row]
        #expect(PromptWeights.segments(prompt) == expected, "\(prompt)")
    }

    /// Python stops at its recursion limit (~1000 levels); we must not overflow a thread's stack.
    /// (Each level re-scans its content, as ComfyUI does, so the cost is quadratic in the depth.)
    @Test func deepNestingNeitherRecursesNorTraps() {
        let depth = 3_000
        let segments = PromptWeights.segments(String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth))
        let weight = (0..<depth).reduce(1.0) { w, _ in w * 1.1 }
        #expect(segments == [WeightedSegment("x", weight)])
    }

    /// Oracle: CPython 3.11 `float()` (values checked by hand in python3).
    @Test func weightsParseAsPythonFloats() {
        let accepted: [(String, Double)] = [
            (" 2 ", 2), ("\u{A0}2\u{3000}", 2), ("\t2\n", 2), ("1_000.5", 1000.5), ("٣", 3), ("١.٥", 1.5),
            ("１２", 12), ("+.5e+1", 5), ("5.", 5), ("-0", -0.0), ("1e400", .infinity), ("-Infinity", -.infinity),
        ]
        for (text, value) in accepted {
            #expect(PythonText.float(text.unicodeScalars) == value, "\(text.debugDescription)")
        }
        #expect(PythonText.float("NaN".unicodeScalars)?.isNaN == true)
        for text in ["\u{1C}2", "0x10", "1__0", "_1", "1_", ".", "e5", "1e", "", "\u{200B}2", "abc"] {
            #expect(PythonText.float(text.unicodeScalars) == nil, "\(text.debugDescription)")
        }
    }
}
