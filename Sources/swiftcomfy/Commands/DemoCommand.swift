import ArgumentParser
import Execution
import Fixtures
import Foundation
import Runner
import Workflow

/// `swiftcomfy demo`: the SD1.5 + LoRA seed workflow (embedded) on locally generated random-weight
/// fixture models, kept in a cache apart from any models folder of yours. Nothing is downloaded.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the SD1.5 + LoRA seed workflow on generated test models (no download).",
        discussion: """
            The models are random-weight fixtures (make_fixtures.py's generator), written once to \
            $SWIFTCOMFY_FIXTURES/1 or ~/.cache/swiftcomfy-fixtures/1 under the names the workflow asks for; \
            the image is noise-like, but every node runs for real. The full run (512x512, 20 steps) takes \
            minutes on a CPU; --size 64x64 --steps 4 takes seconds.
            """)

    @Option(help: ArgumentHelp("KSampler steps (default: the workflow's 20).", valueName: "N"))
    var steps: Int?

    @Option(help: ArgumentHelp("Image size (default: the workflow's 512x512; multiples of 8).", valueName: "WxH"))
    var size: String?

    @Option(help: ArgumentHelp("Where SaveImage writes (default ./output).", valueName: "DIR"))
    var output: String = "output"

    @Option(help: ArgumentHelp("Write the run report (as `run --report`).", valueName: "FILE.json"))
    var report: String?

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        let dimensions = try size.map { text -> (width: Int, height: Int) in
            guard let s = SeedWorkflow.parseSize(text) else { throw CLIError("--size '\(text)' is not WIDTHxHEIGHT, e.g. 512x512") }
            return s
        }
        if let steps, steps < 1 { throw CLIError("--steps must be at least 1") }
        let loaded: LoadedWorkflow
        do { loaded = try SeedWorkflow.load() } catch { throw CLIError("\(error)") }

        let root = FixtureModels.defaultRoot
        Console.error("demo: SD1.5 + LoRA seed workflow (workflows/SD1.5_lora.json, embedded)")
        Console.error("demo: models are RANDOM-WEIGHT TEST FIXTURES generated locally (not Stable Diffusion), in \(root.path)")
        do {
            try FixtureModels.seedWorkflowModels(in: root) { Console.error("demo: generating fixture \($0) (once) ...") }
        } catch {
            throw CLIError("cannot generate the fixture models in \(root.path): \(error)")
        }
        let w = dimensions?.width ?? 512, h = dimensions?.height ?? 512
        Console.error("demo: \(w)x\(h), \(steps ?? 20) steps" + (w * h >= 512 * 512 && (steps ?? 20) >= 20
            ? " (the full run takes minutes on a CPU; try --size 64x64 --steps 4)" : ""))

        let environment = RunEnvironment(
            models: ModelFolders(roots: [root]),
            outputDirectory: URL(fileURLWithPath: output, isDirectory: true),
            inputDirectory: URL(fileURLWithPath: "input", isDirectory: true),
            tempDirectory: try PrivateTempFolder.make(),
            extraPNGInfo: JSONObject(loaded.workflow.map { [("workflow", JSONValue.object($0))] } ?? []))
        let sets = SeedWorkflow.overrides(for: loaded.prompt, steps: steps, size: dimensions)
        try TerminalRun.execute(WorkflowRunner(environment: environment), prompt: loaded.prompt, sets: sets,
                                reruns: [], strict: true, report: report)   // the embedded workflow must pass whole
    }
}
