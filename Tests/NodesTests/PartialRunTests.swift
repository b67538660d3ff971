import Execution
import Foundation
import Runner
import Testing
import Workflow

/// `swiftcomfy run` on a prompt where some outputs fail validation, through the runner the CLI
/// calls: as ComfyUI's server queues it (../shared/docs/comfyui-compat.md 3.4 case 19: one
/// SaveLatent fine, another behind `scale_by: 99`, HTTP 200 and run for the good output only), the
/// good output runs, the bad one is reported and the exit status is 3; `--strict` runs nothing (1).
/// Tiny nodes only: EmptyLatentImage, LatentUpscaleBy, SaveLatent.
@Suite struct PartialRunTests {
    /// 2 saves the empty latent; 4 saves it upscaled by 99 (max 8.0): only 4 fails.
    static let prompt = """
        {"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
         "2": {"class_type": "SaveLatent", "inputs": {"samples": ["1", 0], "filename_prefix": "good"}},
         "3": {"class_type": "LatentUpscaleBy", "inputs": {"samples": ["1", 0], "upscale_method": "nearest-exact", "scale_by": 99}},
         "4": {"class_type": "SaveLatent", "inputs": {"samples": ["3", 0], "filename_prefix": "bad"}}}
        """

    static func load(_ text: String) throws -> JSONObject { try WorkflowLoader.load(data: Data(text.utf8)).prompt }

    static func runner() throws -> (WorkflowRunner, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-partial-" + UUID().uuidString)
        let output = root.appendingPathComponent("output")
        let runner = WorkflowRunner(environment: RunEnvironment(
            models: ModelFolders(roots: [root.appendingPathComponent("models")]), outputDirectory: output,
            inputDirectory: root.appendingPathComponent("input"), tempDirectory: root.appendingPathComponent("temp")))
        return (runner, output)
    }

    static func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func theGoodOutputRunsAndTheBadOneIsReported() throws {
        let (runner, output) = try Self.runner()
        let prompt = try Self.load(Self.prompt)
        var heard: [ValidationReport] = []
        let runs = try runner.run(prompt, sets: [], validated: { heard.append($0) })
        try #require(runs.count == 1)
        let run = runs[0]

        // The good output ran and wrote its file; nothing of the bad branch ran.
        #expect(run.summary.executed == ["1", "2"])
        #expect(Self.files(in: output) == ["good_00001_.latent"])
        #expect(run.summary.outputs.map(\.lastPathComponent) == ["good_00001_.latent"])

        // The bad one is reported with the text a refusal prints (`swiftcomfy validate`'s lines).
        #expect(run.isPartial && run.skippedOutputs == ["4"])
        #expect(run.problems == ["node 3 (LatentUpscaleBy), input 'scale_by': value 99.0 is bigger than max 8.0"]
                || run.problems.count == 1 && run.problems[0].hasPrefix("node 3 (LatentUpscaleBy), input 'scale_by'"),
                "\(run.problems)")
        let validation = runner.validate(prompt)
        #expect(run.problems == validation.lines)
        #expect(heard.count == 1 && heard.first?.lines == validation.lines && heard.first?.isValid == false)

        // The exit status: ran, but some outputs failed validation.
        #expect(TimedRun.exitCode(of: runs) == 3 && RunFailure.partialExitCode == 3)

        // `--report` carries ComfyUI's node_errors (case 19's body beside the prompt id).
        let entry = try #require(RunReport(runs: runs).json["runs"]?.arrayValue?.first)
        #expect(entry["skipped_outputs"] == .array(["4"]))
        let errors = try #require(entry["node_errors"]?["3"])
        #expect(errors["class_type"] == .string("LatentUpscaleBy"))
        #expect(errors["dependent_outputs"] == .array(["4"]))
        let error = try #require(errors["errors"]?.arrayValue?.first)
        #expect(error["type"] == .string("value_bigger_than_max"))
        #expect(error["message"] == .string("Value 99.0 bigger than max of 8.0"))
        #expect(error["details"] == .string("scale_by"))
        #expect(entry["node_errors"] == validation.body["node_errors"])
    }

    @Test func strictRunsNothing() throws {
        let (runner, output) = try Self.runner()
        var heard = 0
        let failure = try #require(throws: RunFailure.self) {
            try runner.run(try Self.load(Self.prompt), strict: true, validated: { _ in heard += 1 })
        }
        #expect(failure.exitCode == 1)
        guard case .invalid(let report) = failure else { Issue.record("expected invalid, got \(failure)"); return }
        #expect(failure.lines == report.lines && report.lines.count == 1)
        #expect(heard == 0)
        #expect(Self.files(in: output).isEmpty, "nothing is written")
    }

    /// No output passes: ComfyUI refuses the prompt (`prompt_outputs_failed_validation`), strict or not.
    @Test func noGoodOutputRunsNothingEvenWithoutStrict() throws {
        let (runner, output) = try Self.runner()
        let prompt = try Self.load("""
            {"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
             "3": {"class_type": "LatentUpscaleBy", "inputs": {"samples": ["1", 0], "upscale_method": "nearest-exact", "scale_by": 99}},
             "4": {"class_type": "SaveLatent", "inputs": {"samples": ["3", 0], "filename_prefix": "bad"}}}
            """)
        let failure = try #require(throws: RunFailure.self) { try runner.run(prompt) }
        #expect(failure.exitCode == 1)
        #expect(Self.files(in: output).isEmpty)
    }

    /// A prompt that passes whole runs as before, strict or not: exit status 0, nothing skipped.
    @Test func aValidPromptIsNotPartial() throws {
        for strict in [false, true] {
            let (runner, output) = try Self.runner()
            let prompt = try Self.load("""
                {"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
                 "2": {"class_type": "SaveLatent", "inputs": {"samples": ["1", 0], "filename_prefix": "good"}}}
                """)
            let runs = try runner.run(prompt, sets: [], strict: strict)
            #expect(runs.count == 1 && runs[0].skippedOutputs.isEmpty && runs[0].problems.isEmpty)
            #expect(TimedRun.exitCode(of: runs) == 0)
            #expect(Self.files(in: output) == ["good_00001_.latent"])
            #expect(RunReport(runs: runs).json["runs"]?.arrayValue?.first?["node_errors"] == .object(JSONObject()))
        }
    }

    /// A rerun that fixes the bad input runs the skipped output (and reuses the rest); the status
    /// still says that one run skipped outputs.
    @Test func aRerunCanFixTheSkippedOutput() throws {
        let (runner, output) = try Self.runner()
        let runs = try runner.run(try Self.load(Self.prompt), reruns: [[try Override(parsing: "3.scale_by=2")]])
        try #require(runs.count == 2)
        #expect(runs[0].skippedOutputs == ["4"] && runs[1].skippedOutputs.isEmpty)
        #expect(runs[1].summary.executed == ["3", "4"])
        #expect(Self.files(in: output) == ["bad_00001_.latent", "good_00001_.latent"])
        #expect(TimedRun.exitCode(of: runs) == 3)
    }
}
