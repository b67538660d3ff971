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

    /// Body 1 (`no_prompt`, HTTP 400) is the server's answer to a `POST /prompt` body without a
    /// `prompt` key, decided before any validation. SwiftComfy has no HTTP server: it reads the
    /// prompt (or UI export) itself, so this body cannot be produced. What it does with the same
    /// bytes (the envelope without `prompt`) is refuse them as neither format before validating.
    @Test func capturedBody1IsTheServersAndTheLoaderRefusesTheSameEnvelope() throws {
        let expected = try CapturedBodies.body(1)
        #expect(expected["error"]?["type"] == "no_prompt" && expected["node_errors"] == .object(JSONObject()))
        let envelope = Data(#"{"client_id": "abc", "extra_data": {}}"#.utf8)
        let error = try #require(throws: WorkflowLoadError.self) { try WorkflowLoader.load(data: envelope) }
        guard case .neitherFormat = error else { Issue.record("not neitherFormat: \(error)"); return }
        #expect("\(error)".hasPrefix("the file is not a ComfyUI workflow: it is neither an API prompt nor a UI export"))
    }

    /// Body 15: as body 13 (the error recorded on VAEDecode 8, labelled with SaveImage's input and
    /// link) with the IndexError of `["3", 5]`: §3.4 gives it as body 13's shape with "details"
    /// "tuple index out of range" and exception_type "IndexError", so the expected body is body 13
    /// with those replaced (the inner error's details and exception_message).
    @Test func outputIndexOutOfRangeMatchesCapturedBody15() throws {
        #expect(throws: CapturedBodies.Missing.self) { try CapturedBodies.body(15) }   // no JSON of its own
        let models = try Fixtures.models(Fixtures.sd15Files)
        let report = Fixtures.validator(models: models).validate(Fixtures.setting(try Fixtures.sd15(), "8", "samples", ["3", 5]))
        let expected = Self.replacingInner(try CapturedBodies.body(13), [
            "details": "tuple index out of range", "exception_message": "tuple index out of range", "exception_type": "IndexError"])
        #expect(CapturedBodies.normalised(report.body) == CapturedBodies.normalised(expected),
                "ours: \(report.body.serialized(.python))")
        #expect(!report.isValid)
    }

    /// `node_errors.<id>.errors[*]`: `details`, `extra_info.exception_*` replaced.
    static func replacingInner(_ body: JSONValue, _ values: [String: JSONValue]) -> JSONValue {
        guard case .object(var top) = body, case .object(var nodes) = top["node_errors"] ?? .null else { return body }
        for (id, node) in nodes {
            guard case .object(var n) = node, case .array(let errors) = n["errors"] ?? .null else { continue }
            n["errors"] = .array(errors.map { e in
                guard case .object(var o) = e else { return e }
                if let d = values["details"] { o["details"] = d }
                if case .object(var extra) = o["extra_info"] ?? .null {
                    for (k, v) in values where k != "details" { extra[k] = v }
                    o["extra_info"] = .object(extra)
                }
                return .object(o)
            })
            nodes[id] = .object(n)
        }
        top["node_errors"] = .object(nodes)
        return .object(top)
    }

    /// Body 16: cycle 20 <-> 21 (LatentUpscaleBy) feeding SaveLatent 22, added to the base prompt.
    /// ComfyUI rejects any prompt with a cycle (HTTP 400, empty node_errors, §3 rule 7). SwiftComfy
    /// differs in two ways, asserted here precisely and kept as a known issue until fixed: it names
    /// the cycle on each of its nodes (`dependency_cycle` on 20 and 21), and with the base prompt's
    /// SaveImage 9 valid it reports a partial success (no top-level `error`) instead of failing the
    /// prompt. The CLI still runs nothing (`WorkflowRunner` needs a prompt without any problem).
    @Test func cycleAgainstCapturedBody16() throws {
        let models = try Fixtures.models(Fixtures.sd15Files)
        var p = try Fixtures.sd15()
        p["20"] = ["class_type": "LatentUpscaleBy", "inputs": ["samples": ["21", 0], "upscale_method": "nearest-exact", "scale_by": 1.5]]
        p["21"] = ["class_type": "LatentUpscaleBy", "inputs": ["samples": ["20", 0], "upscale_method": "nearest-exact", "scale_by": 1.5]]
        p["22"] = ["class_type": "SaveLatent", "inputs": ["samples": ["21", 0], "filename_prefix": "cycle"]]
        let report = Fixtures.validator(models: models).validate(p)
        let expected = try CapturedBodies.body(16)
        #expect(expected["node_errors"] == .object(JSONObject()))
        #expect(!report.isValid)
        withKnownIssue("SwiftComfy reports a cycle as node errors and keeps the prompt's other outputs") {
            #expect(CapturedBodies.normalised(report.body) == CapturedBodies.normalised(expected),
                    "ours: \(report.body.serialized(.python))")
        }
        // The difference, exactly: no top-level error, and one dependency_cycle per node of the cycle.
        #expect(report.body["error"] == nil && report.goodOutputs.contains("9"))
        let nodes = try #require(report.body["node_errors"]?.objectValue)
        #expect(nodes.keys.sorted() == ["20", "21"])
        for id in ["20", "21"] {
            let errors = nodes[id]?["errors"]?.arrayValue ?? []
            #expect(errors.count == 1 && errors.first?["type"] == "dependency_cycle", "\(id): \(errors)")
            #expect(nodes[id]?["dependent_outputs"] == ["22"])
        }
        // The cycle alone: the same top-level error as ComfyUI, the node errors still added.
        let alone = Fixtures.validator(models: models).validate(JSONObject([("20", p["20"]!), ("21", p["21"]!), ("22", p["22"]!)]))
        #expect(alone.body["error"] == expected["error"])
        #expect(alone.body["node_errors"]?.objectValue?.keys.sorted() == ["20", "21"])
    }

    /// Body 20: Flux.1_lora.json converted and validated against the SD1.5-only reference server's
    /// folders (its three SD1.5 files and the fixture LoRAs).
    @Test func fluxOnAnSD15ServerMatchesCapturedBody20() throws {
        let loras = ["fixture-dora", "fixture-locon", "fixture-loha", "fixture-lokr", "fixture-peft", "fixture-te-only"]
        let models = try Fixtures.models(Fixtures.sd15Files + loras.map { "loras/\($0).safetensors" })
        let report = Fixtures.validator(models: models).validate(try Fixtures.flux())
        #expect(CapturedBodies.normalised(report.body) == CapturedBodies.normalised(try CapturedBodies.body(20)),
                "ours: \(report.body.serialized(.python))")
        #expect(!report.isValid)
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
