import Testing
@testable import JSON

/// Oracle: CPython 3 `json.dumps(x)` / `repr(float)` (values checked with python3 on this
/// machine), and JavaScript `JSON.stringify` (Node) for the compact/pretty styles. Exact text.
@Test(arguments: [
    (1e15, "1000000000000000.0"), (1e16, "1e+16"), (1e-05, "1e-05"), (0.0001, "0.0001"),
    (3.5, "3.5"), (-0.0, "-0.0"), (0.0, "0.0"), (8.0, "8.0"), (-2.5e-7, "-2.5e-07"),
    (123456789012345680.0, "1.2345678901234568e+17"), (0.1 + 0.2, "0.30000000000000004"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"), (12345.678, "12345.678"),
    (9007199254740993.0, "9007199254740992.0"), (1e22, "1e+22"), (100.0, "100.0"),
])
func pythonFloatRepr(value: Double, expected: String) {
    #expect(JSONValue.double(value).serialized(.python) == expected)
}

@Test(arguments: [
    (1e15, "1000000000000000"), (1e21, "1e+21"), (1e20, "100000000000000000000"), (1e-7, "1e-7"),
    (1e-6, "0.000001"), (3.5, "3.5"), (-0.0, "0"), (8.0, "8"), (1.5e-10, "1.5e-10"),
    (123456789012345680000000.0, "1.2345678901234569e+23"), (0.30000000000000004, "0.30000000000000004"),
])
func javaScriptNumberText(value: Double, expected: String) {
    #expect(JSONValue.double(value).serialized(.compact) == expected)
}

@Test func pythonStyleSeparatorsAndEscapes() {
    let v: JSONValue = ["a": [1, 2.0, "é\u{7F}\n", true, nil], "b": [:], "c": []]
    #expect(v.serialized(.python) == #"{"a": [1, 2.0, "\u00e9\u007f\n", true, null], "b": {}, "c": []}"#)
}

@Test func prettyMatchesTheFrontendExportLayout() {
    let v: JSONValue = ["3": ["inputs": ["cfg": 8.0, "model": ["4", 0], "e": []], "_meta": ["title": "é"]]]
    #expect(v.serialized(.pretty) == """
    {
      "3": {
        "inputs": {
          "cfg": 8,
          "model": [
            "4",
            0
          ],
          "e": []
        },
        "_meta": {
          "title": "é"
        }
      }
    }
    """)
}
