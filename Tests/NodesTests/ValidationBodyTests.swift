import Foundation
import Nodes
import Testing
import Workflow

/// Oracle: the bodies ComfyUI 0.8.0 answered to `POST /prompt` (comfyui-compat.md §3.4), compared as
/// JSON values after dropping Python tracebacks and sorting set-ordered lists. Models present: the
/// SD1.5 seed's three files.
@Suite struct ValidationBodyTests {
    static let cases: [(body: Int, edit: @Sendable (JSONObject) -> JSONObject)] = [
        (2, { Fixtures.retyped($0, "5", "EmptyLatentImag") }),
        (3, { Fixtures.retyped($0, "5", nil) }),
        (4, { var p = $0; p["9"] = nil; return p }),
        (5, { Fixtures.setting($0, "3", "steps", nil) }),
        (6, { Fixtures.setting($0, "8", "samples", ["11", 1]) }),
        (7, { Fixtures.setting($0, "3", "steps", 0) }),
        (8, { Fixtures.setting($0, "3", "cfg", 200) }),
        (9, { Fixtures.setting($0, "3", "steps", "abc") }),
        (11, { Fixtures.setting($0, "3", "sampler_name", "euler_x") }),
        (12, { Fixtures.setting($0, "8", "samples", ["3", 0, 1]) }),
        (13, { Fixtures.setting($0, "8", "samples", ["99", 0]) }),
        (14, { Fixtures.setting($0, "9", "images", ["99", 0]) }),
    ]

    @Test(arguments: cases.map(\.body)) func matchesTheCapturedBody(_ number: Int) throws {
        let edit = try #require(Self.cases.first { $0.body == number }?.edit)
        let models = try Fixtures.models(Fixtures.sd15Files)
        let report = Fixtures.validator(models: models).validate(edit(try Fixtures.sd15()))
        let expected = try CapturedBodies.body(number)
        #expect(CapturedBodies.normalised(report.body) == CapturedBodies.normalised(expected),
                "ours: \(report.body.serialized(.python))")
        #expect(!report.isValid)
    }

    /// Oracle: ComfyUI 0.8.0 validate_inputs compares Python ints exactly: a seed of 2^64 is
    /// `value_bigger_than_max` (before, it read as the double 2^64 == max and was accepted).
    @Test(arguments: [
        ("seed", JSONValue.bigInt("18446744073709551616"), "value_bigger_than_max", "Value 18446744073709551616 bigger than max of 18446744073709551615"),
        ("seed", .bigInt("-18446744073709551616"), "value_smaller_than_min", "Value -18446744073709551616 smaller than min of 0"),
        ("steps", .bigInt("100000000000000000000000000000"), "value_bigger_than_max", "Value 100000000000000000000000000000 bigger than max of 10000"),
        ("steps", .string("99999999999999999999"), "value_bigger_than_max", "Value 99999999999999999999 bigger than max of 10000"),
        ("steps", .double(1e20), "value_bigger_than_max", "Value 100000000000000000000 bigger than max of 10000"),
    ])
    func integersBeyond64BitsAreComparedExactly(input: String, value: JSONValue, type: String, message: String) throws {
        let models = try Fixtures.models(Fixtures.sd15Files)
        let report = Fixtures.validator(models: models).validate(Fixtures.setting(try Fixtures.sd15(), "3", input, value))
        let error = try #require(report.nodeErrors.first { $0.nodeID == "3" }?.errors.first)
        #expect(error.comfy.type == type)
        #expect(error.comfy.message == message)
        #expect(error.comfy.details == input)
        let received = try #require(error.comfy.extraInfo["received_value"])
        #expect(received.serialized() == message.split(separator: " ")[1])
    }

    @Test func theLargestSeedIsStillValid() throws {
        let models = try Fixtures.models(Fixtures.sd15Files)
        let report = Fixtures.validator(models: models).validate(Fixtures.setting(try Fixtures.sd15(), "3", "seed", .uint(.max)))
        #expect(report.isValid)
    }

    /// Body 18: several errors on one node, and an output missing its own input.
    @Test func severalErrorsMatchCapturedBody18() throws {
        let prompt = JSONObject([
            ("1", ["class_type": "EmptyLatentImage", "inputs": ["width": 8, "height": 99999, "batch_size": "x"]]),
            ("2", ["class_type": "SaveLatent", "inputs": ["samples": ["1", 0]]]),
        ])
        let report = Fixtures.validator().validate(prompt)
        #expect(CapturedBodies.normalised(report.body) == CapturedBodies.normalised(try CapturedBodies.body(18)))
    }

    /// Body 17: LoadImage's own check replaces the list check.
    @Test func missingInputImageMatchesCapturedBody17() throws {
        let input = try Fixtures.models(["example.png"])
        let prompt = JSONObject([
            ("1", ["class_type": "LoadImage", "inputs": ["image": "nope.png"]]),
            ("2", ["class_type": "PreviewImage", "inputs": ["images": ["1", 0]]]),
        ])
        let report = Fixtures.validator(input: input).validate(prompt)
        #expect(CapturedBodies.normalised(report.body) == CapturedBodies.normalised(try CapturedBodies.body(17)))
        let ok = Fixtures.validator(input: input).validate(Fixtures.setting(prompt, "1", "image", "example.png"))
        #expect(ok.isValid)
    }

    /// Body 19: one good output is enough; the bad one is reported and skipped.
    @Test func partialSuccessMatchesCapturedBody19() throws {
        let prompt = JSONObject([
            ("1", ["class_type": "EmptyLatentImage", "inputs": ["width": 64, "height": 64, "batch_size": 1]]),
            ("2", ["class_type": "SaveLatent", "inputs": ["samples": ["1", 0], "filename_prefix": "ok"]]),
            ("3", ["class_type": "LatentUpscaleBy", "inputs": ["samples": ["1", 0], "upscale_method": "nearest-exact", "scale_by": 99]]),
            ("4", ["class_type": "SaveLatent", "inputs": ["samples": ["3", 0], "filename_prefix": "bad"]]),
        ])
        let report = Fixtures.validator().validate(prompt)
        let expected = try CapturedBodies.body(19)
        #expect(report.goodOutputs == ["2"])
        #expect(report.error == nil)
        #expect(CapturedBodies.normalised(report.body["node_errors"] ?? .null)
                == CapturedBodies.normalised(expected["node_errors"] ?? .null))
    }

    @Test func coercedValuesAreWrittenBack() throws {
        let models = try Fixtures.models(Fixtures.sd15Files)
        var p = Fixtures.setting(try Fixtures.sd15(), "5", "width", "64")
        p = Fixtures.setting(p, "5", "height", 71.9)
        let report = Fixtures.validator(models: models).validate(p)
        #expect(report.isValid)
        #expect(report.prompt["5"]?["inputs"]?["width"].map { if case .int(64) = $0 { true } else { false } } == true)
        #expect(report.prompt["5"]?["inputs"]?["height"].map { if case .int(71) = $0 { true } else { false } } == true)
        // cfg 8 (an int in the file) becomes the float 8.0, as ComfyUI writes it into PNG metadata.
        #expect(report.prompt["3"]?["inputs"]?["cfg"].map { if case .double(8) = $0 { true } else { false } } == true)
    }
}

extension Fixtures {
    static func retyped(_ p: JSONObject, _ id: String, _ type: String?) -> JSONObject {
        var p = p
        guard var node = p[id]?.objectValue else { return p }
        node["class_type"] = type.map { .string($0) }
        p[id] = .object(node)
        return p
    }
}
