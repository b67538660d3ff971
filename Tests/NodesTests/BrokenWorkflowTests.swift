import Foundation
import Nodes
import Testing
import Workflow

/// A corpus of broken workflows, each from the SD1.5 seed prompt with one defect (models present),
/// and the error it must give: kind, node and input (ComfyUI 0.8.0's checks, compat doc §3).
struct BrokenWorkflow: Sendable, CustomTestStringConvertible {
    enum Expect: Sendable {
        case prompt(PromptError.Kind, node: String?)
        case input(NodeInputError.Kind, node: String, input: String)
    }

    let name: String
    let expect: Expect
    let edit: @Sendable (JSONObject) -> JSONObject
    var testDescription: String { name }

    static let corpus: [BrokenWorkflow] = [
        .init(name: "unknown node type", expect: .prompt(.unknownNodeType, node: "5")) { Fixtures.retyped($0, "5", "EmptyLatentImag") },
        .init(name: "missing class_type", expect: .prompt(.missingClassType, node: "5")) { Fixtures.retyped($0, "5", nil) },
        .init(name: "ComfyUI node not run yet", expect: .prompt(.notRunnableYet, node: "5")) { Fixtures.retyped($0, "5", "UpscaleModelLoader") },
        .init(name: "node is not an object", expect: .prompt(.malformedNode, node: "5")) { var p = $0; p["5"] = 3; return p },
        .init(name: "inputs not an object", expect: .prompt(.malformedNode, node: "5")) {
            var p = $0; p["5"] = ["class_type": "EmptyLatentImage", "inputs": [1, 2]]; return p
        },
        .init(name: "no output node", expect: .prompt(.noOutputs, node: nil)) { var p = $0; p["9"] = nil; return p },
        .init(name: "empty prompt", expect: .prompt(.noOutputs, node: nil)) { _ in JSONObject() },
        .init(name: "required input missing", expect: .input(.requiredInputMissing, node: "3", input: "steps")) {
            Fixtures.setting($0, "3", "steps", nil)
        },
        .init(name: "type mismatch across a link", expect: .input(.returnTypeMismatch, node: "8", input: "samples")) {
            Fixtures.setting($0, "8", "samples", ["11", 1])
        },
        .init(name: "link of length 3", expect: .input(.badLinkedInput, node: "8", input: "samples")) {
            Fixtures.setting($0, "8", "samples", ["3", 0, 1])
        },
        .init(name: "link to a missing node", expect: .input(.linkedNodeMissing, node: "8", input: "samples")) {
            Fixtures.setting($0, "8", "samples", ["99", 0])
        },
        .init(name: "output node links to a missing node", expect: .input(.linkedNodeMissing, node: "9", input: "images")) {
            Fixtures.setting($0, "9", "images", ["99", 0])
        },
        .init(name: "link with a numeric node id", expect: .input(.linkedNodeMissing, node: "8", input: "samples")) {
            Fixtures.setting($0, "8", "samples", [3, 0])
        },
        .init(name: "output slot out of range", expect: .input(.linkedOutputMissing, node: "8", input: "samples")) {
            Fixtures.setting($0, "8", "samples", ["3", 5])
        },
        .init(name: "output slot not a number", expect: .input(.linkedOutputMissing, node: "8", input: "samples")) {
            Fixtures.setting($0, "8", "samples", ["3", "0"])
        },
        .init(name: "INT below min", expect: .input(.valueSmallerThanMin, node: "3", input: "steps")) { Fixtures.setting($0, "3", "steps", 0) },
        .init(name: "FLOAT above max", expect: .input(.valueBiggerThanMax, node: "3", input: "cfg")) { Fixtures.setting($0, "3", "cfg", 200) },
        .init(name: "not a number", expect: .input(.invalidInputType, node: "3", input: "steps")) { Fixtures.setting($0, "3", "steps", "abc") },
        .init(name: "null for a FLOAT", expect: .input(.invalidInputType, node: "11", input: "strength_model")) {
            Fixtures.setting($0, "11", "strength_model", .null)
        },
        .init(name: "width below min", expect: .input(.valueSmallerThanMin, node: "5", input: "width")) { Fixtures.setting($0, "5", "width", 8) },
        .init(name: "combo value not in list", expect: .input(.valueNotInList, node: "3", input: "sampler_name")) {
            Fixtures.setting($0, "3", "sampler_name", "euler_x")
        },
        .init(name: "model file missing", expect: .input(.valueNotInList, node: "11", input: "lora_name")) {
            Fixtures.setting($0, "11", "lora_name", "missing.safetensors")
        },
        .init(name: "model name escapes its folder", expect: .input(.valueNotInList, node: "4", input: "ckpt_name")) {
            Fixtures.setting($0, "4", "ckpt_name", "../checkpoints/v1-5-pruned-emaonly-fp16.safetensors")
        },
        .init(name: "absolute model path", expect: .input(.valueNotInList, node: "10", input: "vae_name")) {
            Fixtures.setting($0, "10", "vae_name", "/etc/passwd")
        },
        .init(name: "dependency cycle", expect: .input(.dependencyCycle, node: "20", input: "samples")) {
            var p = $0
            p["20"] = ["class_type": "LatentUpscaleBy", "inputs": ["samples": ["21", 0], "upscale_method": "bilinear", "scale_by": 1]]
            p["21"] = ["class_type": "LatentUpscaleBy", "inputs": ["samples": ["20", 0], "upscale_method": "bilinear", "scale_by": 1]]
            p["22"] = ["class_type": "SaveLatent", "inputs": ["samples": ["20", 0], "filename_prefix": "x"]]
            return p
        },
        .init(name: "self loop", expect: .input(.dependencyCycle, node: "30", input: "samples")) {
            var p = $0
            p["30"] = ["class_type": "LatentUpscaleBy", "inputs": ["samples": ["30", 0], "upscale_method": "bilinear", "scale_by": 1]]
            p["31"] = ["class_type": "SaveLatent", "inputs": ["samples": ["30", 0], "filename_prefix": "x"]]
            return p
        },
    ]
}

@Suite struct BrokenWorkflowTests {
    @Test(arguments: BrokenWorkflow.corpus) func givesTheRightError(_ broken: BrokenWorkflow) throws {
        let models = try Fixtures.models(Fixtures.sd15Files)
        let report = Fixtures.validator(models: models).validate(broken.edit(try Fixtures.sd15()))
        #expect(!report.isValid)
        switch broken.expect {
        case let .prompt(kind, node):
            let first = try #require(report.promptErrors.first, "\(report.lines)")
            #expect(first.kind == kind)
            #expect(first.nodeID == node)
            #expect(report.error?.type == first.comfy.type)
        case let .input(kind, node, input):
            let match = report.inputErrors.first { $0.kind == kind && $0.nodeID == node && $0.input == input }
            #expect(match != nil, "got: \(report.lines)")
            #expect(report.promptErrors.isEmpty)
        }
        #expect(!report.lines.isEmpty)
    }

    @Test func theSeedPromptItselfIsValid() throws {
        let models = try Fixtures.models(Fixtures.sd15Files)
        let report = Fixtures.validator(models: models).validate(try Fixtures.sd15())
        #expect(report.isValid, "\(report.lines)")
    }

    /// Message tests pin the exact text the CLI prints.
    @Test func linesNameNodeTypeInputAndReason() throws {
        let models = try Fixtures.models(Fixtures.sd15Files)
        let v = Fixtures.validator(models: models)
        let sd15 = try Fixtures.sd15()
        #expect(v.validate(Fixtures.setting(sd15, "3", "steps", 0)).lines
                == ["node 3 (KSampler), input 'steps': value 0 is smaller than min 1"])
        #expect(v.validate(Fixtures.setting(sd15, "3", "cfg", 200)).lines
                == ["node 3 (KSampler), input 'cfg': value 200.0 is bigger than max 100.0"])
        #expect(v.validate(Fixtures.setting(sd15, "8", "samples", ["11", 1])).lines
                == ["node 8 (VAEDecode), input 'samples': output 1 of node 11 (LoraLoader) is CLIP, but this input takes LATENT"])
        #expect(v.validate(Fixtures.retyped(sd15, "5", "UpscaleModelLoader")).lines
                == ["node 5: 'UpscaleModelLoader' is a ComfyUI node that SwiftComfy does not run yet"])
        #expect(v.validate(Fixtures.retyped(sd15, "5", "EmptyLatentImag")).lines
                == ["node 5: unknown node type 'EmptyLatentImag' (not a ComfyUI core node)"])
        let missing = v.validate(Fixtures.setting(sd15, "11", "lora_name", "missing.safetensors")).lines
        #expect(missing == ["node 11 (LoraLoader), input 'lora_name': model file 'missing.safetensors' not found in folder 'loras' (searched \(models.appendingPathComponent("loras").standardizedFileURL.path))"])
    }

    @Test func cyclesGetAClearMessageOnEveryNodeOfTheCycle() throws {
        let p = JSONObject([
            ("20", ["class_type": "LatentUpscaleBy", "inputs": ["samples": ["21", 0], "upscale_method": "bilinear", "scale_by": 1]]),
            ("21", ["class_type": "LatentUpscaleBy", "inputs": ["samples": ["20", 0], "upscale_method": "bilinear", "scale_by": 1]]),
            ("22", ["class_type": "SaveLatent", "inputs": ["samples": ["20", 0], "filename_prefix": "x"]]),
        ])
        let report = Fixtures.validator().validate(p)
        #expect(report.lines == [
            "node 20 (LatentUpscaleBy), input 'samples': the workflow has a dependency cycle: 20 -> 21 -> 20",
            "node 21 (LatentUpscaleBy), input 'samples': the workflow has a dependency cycle: 20 -> 21 -> 20",
        ])
        #expect(report.error?.type == "prompt_outputs_failed_validation")
    }

    /// A chain far deeper than any real workflow must not overflow the stack.
    @Test func aVeryDeepChainIsAnErrorNotACrash() throws {
        var entries: [(key: String, value: JSONValue)] = [("0", ["class_type": "EmptyLatentImage", "inputs": ["width": 64, "height": 64, "batch_size": 1]])]
        for i in 1...1200 {
            entries.append(("\(i)", ["class_type": "LatentUpscaleBy",
                                     "inputs": ["samples": [.string("\(i - 1)"), 0], "upscale_method": "bilinear", "scale_by": 1]]))
        }
        entries.append(("out", ["class_type": "SaveLatent", "inputs": ["samples": ["1200", 0], "filename_prefix": "x"]]))
        let report = Fixtures.validator().validate(JSONObject(entries))
        #expect(!report.isValid)
    }

    /// 50,000 failing outputs (100,000 nodes): each failure was attributed by a scan of every node
    /// seen so far (quadratic: minutes here); now each node is attributed once. Linear work takes
    /// about a second; the 20 s bound only catches a return to quadratic, it cannot flake.
    @Test func manyFailingOutputsValidateInLinearTime() throws {
        var entries: [(key: String, value: JSONValue)] = []
        let pairs = 50_000
        for i in 0..<pairs {
            entries.append(("a\(i)", ["class_type": "EmptyLatentImage", "inputs": ["width": 8, "height": 64, "batch_size": 1]]))
            entries.append(("b\(i)", ["class_type": "SaveLatent", "inputs": ["samples": [.string("a\(i)"), 0], "filename_prefix": "x"]]))
        }
        let start = Date()
        let report = Fixtures.validator().validate(JSONObject(entries))
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 20, "took \(seconds) s")
        #expect(report.nodeErrors.count == pairs)
        // ComfyUI appends each failed output to every failed node seen so far.
        #expect(report.nodeErrors.first?.dependentOutputs.count == pairs)
        #expect(report.nodeErrors.last?.dependentOutputs == ["b\(pairs - 1)"])
        #expect(report.nodeErrors[1].dependentOutputs.first == "b1")
    }

    @Test(arguments: ["", "   \n", "{\"a\":", "[1, 2]", "\"text\"", "{\"1\": {\"class_type\": 5}}"])
    func malformedFilesFailCleanly(_ text: String) throws {
        do {
            let loaded = try WorkflowLoader.load(data: Data(text.utf8))
            let report = Fixtures.validator().validate(loaded.prompt)
            #expect(!report.isValid)
        } catch {
            #expect(!"\(error)".isEmpty)
        }
    }
}
