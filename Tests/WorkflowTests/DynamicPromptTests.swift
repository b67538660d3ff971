import Testing
@testable import Workflow

/// Oracle: frontend 1.35.9 `processDynamicPrompt` run in Node on the same inputs with
/// `Math.random` replaced by the same fixed sequence. Exact text.
@Test(arguments: [
    ("a {x} b", "a x b"),
    ("{{nested}}", "nested"),
    ("see http://example.com/x", "see http:"),
    ("keep /* drop\nthis */ rest // tail\nnext", "keep  rest \nnext"),
    ("unclosed /* stays", "unclosed /* stays"),
    (#"\{literal\} \| and \n kept"#, #"{literal} | and \n kept"#),
    ("ends with \\", "ends with \\undefined"),
    ("{a|b|c}", "a"),
    ("{a|{b|c}}", "a"),
    ("emoji {😀}", "emoji 😀"),
])
func dynamicPromptWithRandomZero(input: String, expected: String) {
    #expect(DynamicPrompt(random: { 0 }).process(input) == expected)
}

@Test func dynamicPromptChoiceFollowsTheRandomSource() {
    var sequence = [0.99, 0.5, 0.1].makeIterator()
    let prompt = DynamicPrompt(random: { sequence.next() ?? 0 })
    // 0.99 picks the last of {a|b|c}; 0.5 picks the second of {x|{y|z}} = "{y|z}", whose
    // choice then takes 0.1 -> "y".
    #expect(prompt.process("{a|b|c} {x|{y|z}}") == "c y")
}
