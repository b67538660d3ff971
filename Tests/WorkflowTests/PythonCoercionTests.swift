import Testing
import Workflow

/// Oracle: Python 3's `int()`, `float()`, `str()`, `bool()` and `repr()` as ComfyUI's validation
/// applies them (compat doc §3.1: `71.9`->71, `"64"`->64, `true`->1, `bool("false")` is True).
@Suite struct PythonCoercionTests {
    @Test func intFollowsPython() throws {
        #expect(try PythonCoercion.int(71.9) == 71)
        #expect(try PythonCoercion.int(-71.9) == -71)
        #expect(try PythonCoercion.int("64") == 64)
        #expect(try PythonCoercion.int(" -1_000 ") == -1000)
        #expect(try PythonCoercion.int(true) == 1)
        #expect(try PythonCoercion.int("18446744073709551615") == .uint(.max))
        // Python's int has no size limit: exact digits beyond 64 bits, from text or from a float.
        #expect(try PythonCoercion.int(" 0018446744073709551616") == .bigInt("18446744073709551616"))
        #expect(try PythonCoercion.int("-9223372036854775809") == .bigInt("-9223372036854775809"))
        #expect(try PythonCoercion.int(1e20) == .bigInt("100000000000000000000"))
        #expect(try PythonCoercion.int(-2.5e30) == .bigInt("-2499999999999999908974073741312"))
        #expect(try PythonCoercion.float(.bigInt("18446744073709551616")) == .double(18446744073709551616))
        #expect(throws: PythonCoercion.Failure(message: "int too large to convert to float")) {
            try PythonCoercion.float(.bigInt("1" + String(repeating: "0", count: 400)))
        }
        #expect(throws: PythonCoercion.Failure(message: "invalid literal for int() with base 10: 'abc'")) { try PythonCoercion.int("abc") }
        #expect(throws: PythonCoercion.Failure(message: "invalid literal for int() with base 10: '8.0'")) { try PythonCoercion.int("8.0") }
        #expect(throws: PythonCoercion.Failure(message: "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'")) {
            try PythonCoercion.int(nil)
        }
    }

    @Test func floatFollowsPython() throws {
        #expect(try PythonCoercion.float(8) == 8.0)
        #expect(try PythonCoercion.float(" 1e3 ") == 1000.0)
        #expect(try PythonCoercion.float(".5") == 0.5)
        #expect(try PythonCoercion.float("-inf") == .double(-.infinity))
        #expect(throws: PythonCoercion.Failure(message: "could not convert string to float: 'x'")) { try PythonCoercion.float("x") }
        #expect(throws: PythonCoercion.Failure.self) { try PythonCoercion.float("0x10") }
    }

    @Test func strBoolAndReprFollowPython() {
        #expect(PythonCoercion.str(123) == "123")
        #expect(PythonCoercion.str(8.0) == "8.0")
        #expect(PythonCoercion.str(true) == "True")
        #expect(PythonCoercion.bool("false") == true)
        #expect(PythonCoercion.bool("") == false)
        #expect(PythonCoercion.bool(0.0) == false)
        #expect(PythonText.repr(["a", 1, 2.5, nil, true]) == "['a', 1, 2.5, None, True]")
        #expect(PythonText.repr("it's") == "\"it's\"")
        #expect(PythonText.repr("1.5\\x") == "'1.5\\\\x'")
        #expect(PythonText.float(1e-5) == "1e-05")
        #expect(PythonText.float(200) == "200.0")
    }
}
