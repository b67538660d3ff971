import Execution
import Foundation
import Runner
import Testing
import TestSupport
import Workflow

/// The UI export `workflows/SD1.5_lora.json` itself, unchanged (its LoRA is the Windows name
/// `1.5\1.5-dpo-LoRA.safetensors`), at 64x64 and 2 steps through `--set`, then `--rerun "3.seed=5"`:
/// the same calls `swiftcomfy run` makes. Oracle: ComfyUI's caching (compat doc §4): a new seed
/// invalidates KSampler and what depends on it (VAEDecode, SaveImage), nothing else.
extension EndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func uiExportRunsAndSeedRerunRecomputesOnlySamplerDecodeAndSave() throws {
        let file = Self.repository.appendingPathComponent("workflows/SD1.5_lora.json")
        let loaded = try WorkflowLoader.load(data: Data(contentsOf: file))
        #expect(loaded.format == .ui)
        let workflow = try #require(loaded.workflow)
        Self.shared = nil   // its cached models and LoRA copy go (the suite is serialized): one set alive
        let runner = try EndToEnd.runner(extraPNGInfo: JSONObject([("workflow", .object(workflow))]))
        let sets = try ["5.width=64", "5.height=64", "3.steps=2"].map(Override.init(parsing:))
        let runs = try runner.run(loaded.prompt, sets: sets, reruns: [try Override.list("3.seed=5")])
        try #require(runs.count == 2)
        #expect(Set(runs[0].summary.executed) == ["3", "4", "5", "6", "7", "8", "9", "10", "11"])
        #expect(runs[0].summary.cached.isEmpty)
        #expect(runs[1].summary.executed == ["3", "8", "9"])
        #expect(runs[1].summary.cached == ["4", "5", "6", "7", "10", "11"])

        // The report says the same (what `--report` writes).
        let report = RunReport(runs: runs).json
        #expect(report["runs"]?.arrayValue?[1]["executed"] == .array(["3", "8", "9"]))

        // Each run wrote its own PNG, with the prompt and the UI workflow (drags back into ComfyUI).
        let pngs = runs.flatMap(\.summary.outputs).filter { $0.pathExtension == "png" }
        try #require(pngs.count == 2, "\(pngs)")
        #expect(pngs.map(\.lastPathComponent) == ["ComfyUI_00001_.png", "ComfyUI_00002_.png"])
        let (first, second) = (try DecodedPNG(contentsOf: pngs[0]), try DecodedPNG(contentsOf: pngs[1]))
        #expect(first.width == 64 && first.height == 64)
        #expect(first.pixels != second.pixels, "a new seed gives a new image")
        #expect(try EndToEnd.json(first.text["workflow"]) == .object(workflow))
        let prompt = try EndToEnd.json(second.text["prompt"])
        #expect(prompt["3"]?["inputs"]?["seed"] == .int(5))
        #expect(prompt["11"]?["inputs"]?["lora_name"] == .string("1.5\\1.5-dpo-LoRA.safetensors"))
    }

    /// `swiftcomfy demo` runs the embedded copy: it must stay the file in `workflows/`.
    @Test func embeddedSeedWorkflowIsTheRepositoryFile() throws {
        let embedded = try Data(contentsOf: try #require(SeedWorkflow.url))
        #expect(embedded == (try Data(contentsOf: Self.repository.appendingPathComponent("workflows/SD1.5_lora.json"))))
    }
}
