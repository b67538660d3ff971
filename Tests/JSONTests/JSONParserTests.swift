import Testing
@testable import JSON

/// Oracle: RFC 8259 and Python's `json.loads` (which reads NaN/Infinity and lets the last
/// duplicate key win); the strict options are the safetensors reference reader's rules.

@Test func keepsKeyOrderIntegersAndFloats() throws {
    let v = try JSONParser.parse(#"{"b": 8, "a": 8.0, "seed": 18446744073709551615, "s": "r\u00e9"}"#)
    #expect(v.objectValue?.keys == ["b", "a", "seed", "s"])
    #expect(v.serialized(.python) == #"{"b": 8, "a": 8.0, "seed": 18446744073709551615, "s": "r\u00e9"}"#)
    #expect(v["b"] == v["a"])   // 8 == 8.0 as JSON values
}

@Test func malformedJSONSaysWhere() {
    #expect(throws: JSONParser.Error.self) { try JSONParser.parse("{\n  \"a\": 1,\n}") }
    do { _ = try JSONParser.parse("{\n  \"a\": 1,\n}") } catch {
        #expect("\(error)" == "invalid JSON at line 3, column 1: expected a string key")
    }
}

@Test func readsPythonsNonFiniteNumbersExactIntegersAndDuplicateKeys() throws {
    let v = try JSONParser.parse(#"[NaN, Infinity, -Infinity, -9223372036854775808, 18446744073709551616, 1e2]"#)
    let a = try #require(v.arrayValue)
    #expect(a[0].doubleValue?.isNaN == true && a[1] == .double(.infinity) && a[2] == .double(-.infinity))
    #expect(a[3] == .int(.min))
    // Beyond UInt64: every digit kept, as Python's json.loads makes an int of any size.
    guard case .bigInt("18446744073709551616") = a[4] else { Issue.record("\(a[4])"); return }
    #expect(a[5] == .double(100))
    let object = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
    #expect(object.objectValue?.keys == ["a", "b"] && object["a"] == 3)
    let many = "{" + (0..<40).map { "\"k\($0 % 20)\": \($0)" }.joined(separator: ", ") + "}"
    let big = try #require(try JSONParser.parse(many).objectValue)
    #expect(big.count == 20 && big["k3"] == 23)
}

@Test(arguments: [
    ("", "invalid JSON at line 1, column 1: the document is empty"),
    ("[1,]", "invalid JSON at line 1, column 4: bad JSON value"),
    ("007", "invalid JSON at line 1, column 1: bad JSON value"),
    ("{\"a\" 1}", "invalid JSON at line 1, column 6: expected ':'"),
    ("[1] 2", "invalid JSON at line 1, column 5: unexpected text after the JSON value"),
    (#""a\u12""#, "invalid JSON at line 1, column 5: bad \\u escape"),
    ("[\"a", "invalid JSON at line 1, column 4: a string is not closed"),
])
func malformedDocumentsNameTheProblem(text: String, message: String) {
    #expect(throws: (any Error).self) { try JSONParser.parse(text) }
    do { _ = try JSONParser.parse(text) } catch { #expect("\(error)" == message) }
}

@Test func lenientReadingRepairsUnicodeThatStrictReadingRefuses() throws {
    #expect(try JSONParser.parse(#""\ud800x""#) == "\u{FFFD}x")
    #expect(try JSONParser.parse([0x22, 0xFF, 0x22]) == "\u{FFFD}")
    let strict = JSONReader.Options(maxDepth: 4, allowsNonFinite: false, strictUnicode: true, documentName: "the header")
    func strictly(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBytes { raw in var r = JSONReader(raw, options: strict); return try r.readValue() }
    }
    #expect(throws: JSONSyntaxError(reason: "a lone UTF-16 surrogate in a string", offset: 7, showsOffset: false)) {
        try strictly(Array(#""\ud800x""#.utf8))
    }
    #expect(throws: JSONSyntaxError(reason: "a string is not valid UTF-8", offset: 2, showsOffset: false)) {
        try strictly([0x22, 0xFF, 0x22])
    }
    #expect(throws: JSONSyntaxError(reason: "bad JSON value", offset: 0, showsOffset: true)) { try strictly(Array("NaN".utf8)) }
    #expect(throws: JSONSyntaxError(reason: "the header nests deeper than 4 levels", offset: 5, showsOffset: false)) {
        try strictly(Array("[[[[[1]]]]]".utf8))
    }
}

/// The nesting limit is reached before the stack is: 512 levels read, 513 refused, on a test thread.
@Test func deepNestingIsBoundedNotAStackOverflow() throws {
    let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    #expect(try JSONParser.parse(ok).arrayValue?.count == 1)
    let deep = String(repeating: "{\"a\":", count: 513) + "1" + String(repeating: "}", count: 513)
    do { _ = try JSONParser.parse(deep); Issue.record("513 levels accepted") } catch {
        #expect("\(error)" == "invalid JSON at line 1, column 2562: the document nests deeper than 512 levels")
    }
}

/// Oracle: Python's `json.loads` / `json.dumps`: integers of any size survive exactly (before,
/// 2^64 became the double 1.8446744073709552e+19).
@Test func integersBeyond64BitsKeepEveryDigit() throws {
    let text = #"[18446744073709551616, -9223372036854775809, 123456789012345678901234567890, 1e20]"#
    let v = try JSONParser.parse(text)
    #expect(v.arrayValue?[0] == .bigInt("18446744073709551616"))
    #expect(v.arrayValue?[1] == .bigInt("-9223372036854775809"))
    #expect(v.arrayValue?[2] == .bigInt("123456789012345678901234567890"))
    #expect(v.arrayValue?[3] == .double(1e20))
    #expect(v.serialized().hasPrefix("[18446744073709551616,-9223372036854775809,123456789012345678901234567890,"))
    #expect(JSONValue.bigInt("18446744073709551616") != .uint(.max))
}
