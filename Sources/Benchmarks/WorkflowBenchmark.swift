import Execution
import Fixtures
import Foundation
import Runner
import Workflow

/// `Benchmarks workflow`: the SD1.5 + LoRA seed workflow (workflows/SD1.5_lora.json) at its real
/// size, 512x512 and 20 euler steps, on the full-size fixture checkpoint, through `WorkflowRunner`
/// (what `swiftcomfy run` and `swiftcomfy demo` call). Prints the total, each node's time, seconds
/// per sampler step and the peak resident set. `WORKFLOW_SIZE=WxH` and `WORKFLOW_STEPS=N` shrink
/// it for a quick check.
func runWorkflowBenchmark() {
    do { try measureWorkflow() } catch { print("workflow: \(error)") }
}

private final class StepTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [UInt64] = []
    func record() { lock.lock(); times.append(DispatchTime.now().uptimeNanoseconds); lock.unlock() }
    var all: [UInt64] { lock.lock(); defer { lock.unlock() }; return times }
}

private func measureWorkflow() throws {
    let env = ProcessInfo.processInfo.environment
    let size = env["WORKFLOW_SIZE"].flatMap(SeedWorkflow.parseSize)
    let steps = env["WORKFLOW_STEPS"].flatMap { Int($0) }
    let root = try FixtureModels.seedWorkflowModels { print("generating fixture \($0) ...") }
    let loaded = try SeedWorkflow.load()
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    let runner = WorkflowRunner(environment: RunEnvironment(
        models: ModelFolders(roots: [root]), outputDirectory: output, inputDirectory: output,
        tempDirectory: output.appendingPathComponent("temp")))
    let types = loaded.prompt.entries.reduce(into: [String: String]()) { $0[$1.key] = $1.value["class_type"]?.stringValue }
    let stepTimes = StepTimes()
    let printer = ProgressPrinter(types: types, interactive: false, write: { FileHandle.standardError.write(Data($0.utf8)) })
    let observer: ExecutionObserver = { event in
        if case .progress = event { stepTimes.record() }
        printer.handle(event)
    }
    resetPeakResident()
    let cpu0 = processCPUSeconds()
    let run = try runner.run(loaded.prompt, sets: SeedWorkflow.overrides(for: loaded.prompt, steps: steps, size: size),
                             observer: observer)[0]
    let cpu = processCPUSeconds() - cpu0
    let peak = peakResidentBytes()

    let (w, h) = size ?? (512, 512)
    print("workflow SD1.5_lora.json \(w)x\(h), \(steps ?? 20) steps, euler/normal, cfg 8, LoRA 1.0 (fixture models)")
    for id in run.summary.executed {
        print(pad("  [\(id)] \(types[id] ?? "?")", 36) + String(format: "%8.2f s", run.summary.seconds[id] ?? 0))
    }
    let t = stepTimes.all
    let later = t.count > 1 ? Double(t[t.count - 1] - t[0]) / 1e9 / Double(t.count - 1) : .nan
    let sampler = run.summary.executed.first { types[$0] == "KSampler" }.flatMap { run.summary.seconds[$0] } ?? .nan
    print(String(format: "total %.2f s wall, %.2f s CPU; KSampler %.2f s = %.3f s/step over %d steps (steps 2..N: %.3f s/step); peak RSS %.0f MB",
                 run.seconds, cpu, sampler, sampler / Double(max(t.count, 1)), t.count, later, peak / 1e6))
    print(RunSummaryText.lines(run, types: types).dropFirst().joined(separator: "\n"))
}
