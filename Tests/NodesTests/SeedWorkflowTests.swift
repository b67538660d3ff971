import Foundation
import Nodes
import Testing
import Workflow
@testable import Execution

/// The two seed workflows (their frontend API forms in ../shared/workflows/conversion) validate clean
/// when their model files exist (empty placeholders under the names they ask for, Windows `\` names
/// included) and name the file when one is missing.
@Suite struct SeedWorkflowTests {
    @Test func sd15ValidatesCleanWithItsModelsPresent() throws {
        let models = try Fixtures.models(Fixtures.sd15Files)
        let report = Fixtures.validator(models: models).validate(try Fixtures.sd15())
        #expect(report.isValid, "\(report.lines)")
        #expect(report.goodOutputs == ["9"])
    }

    @Test func fluxValidatesCleanWithItsModelsPresent() throws {
        let models = try Fixtures.models(Fixtures.fluxFiles)
        let report = Fixtures.validator(models: models).validate(try Fixtures.flux())
        #expect(report.isValid, "\(report.lines)")
        #expect(report.goodOutputs == ["45"])
    }

    @Test(arguments: Fixtures.sd15Files.indices) func sd15NamesAMissingFile(_ missing: Int) throws {
        var files = Fixtures.sd15Files
        let gone = files.remove(at: missing)
        let models = try Fixtures.models(files)
        let report = Fixtures.validator(models: models).validate(try Fixtures.sd15())
        let errors = report.inputErrors
        #expect(errors.count == 1)
        let e = try #require(errors.first)
        #expect(e.kind == .valueNotInList)
        let name = (gone as NSString).lastPathComponent
        #expect(e.description.contains(name), "\(e.description)")
        #expect(e.description.contains("not found in folder"))
    }

    @Test func fluxNamesItsMissingUNet() throws {
        let models = try Fixtures.models(Fixtures.fluxFiles.filter { !$0.hasPrefix("unet/") })
        let report = Fixtures.validator(models: models).validate(try Fixtures.flux())
        #expect(report.lines.count == 1)
        let line = try #require(report.lines.first)
        #expect(line.hasPrefix("node 41 (UNETLoader), input 'unet_name': model file 'Flux\\flux1-dev-fp8.safetensors' not found in folder 'diffusion_models'"))
    }

    /// Oracle: ComfyUI's observed order for the SD1.5 prompt with node 5 cached (compat doc §4.2).
    @Test func sd15RunsInComfyUIsObservedOrder() throws {
        let graph = PromptNodes(prompt: try Fixtures.sd15(), registry: Registry.standard)
        let order = try ExecutionOrder.plan(graph, outputs: ["9"], isCached: { $0 == "5" })
        #expect(order == ["10", "4", "11", "7", "6", "3", "8", "9"])
        let cold = try ExecutionOrder.plan(graph, outputs: ["9"], isCached: { $0 == "10" })
        #expect(Array(cold.prefix(6)) == ["5", "4", "11", "7", "6", "3"])
    }
}

/// The seed workflows as exported (UI format, `workflows/*.json`): the loader converts them, and
/// they validate clean with their models present and name the file that is missing.
@Suite struct SeedUIWorkflowTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ name: String) throws -> LoadedWorkflow {
        try WorkflowLoader.load(data: Data(contentsOf: repository.appendingPathComponent("workflows").appendingPathComponent(name)))
    }

    @Test(arguments: [("SD1.5_lora.json", Fixtures.sd15Files), ("Flux.1_lora.json", Fixtures.fluxFiles)])
    func exportedSeedValidatesCleanWithItsModels(_ name: String, _ files: [String]) throws {
        let loaded = try Self.load(name)
        #expect(loaded.format == .ui, "\(name) is read as \(loaded.format), not as a UI export")
        let models = try Fixtures.models(files)
        let report = Fixtures.validator(models: models).validate(loaded.prompt)
        #expect(report.isValid, "\(report.lines)")
        let missing = try Fixtures.models(Array(files.dropFirst()))
        let broken = Fixtures.validator(models: missing).validate(loaded.prompt)
        let gone = ((files.first ?? "") as NSString).lastPathComponent
        #expect(broken.lines.count == 1 && broken.lines.first?.contains(gone) == true, "\(broken.lines)")
    }
}
