@testable import Execution
import Foundation
import Runner
import Testing
import Workflow

/// The terminal lines `swiftcomfy run` prints (oracle: the formats documented in Docs/user-guide.md).
@Suite struct EndToEndProgressTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
        var all: String { lock.lock(); defer { lock.unlock() }; return text }
    }

    @Test func pipedProgressPrintsNodesStepsAndTimes() {
        let out = Lines()
        let p = ProgressPrinter(types: ["3": "KSampler", "4": "CheckpointLoaderSimple"], interactive: false, write: { out.append($0) })
        p.handle(.started(cached: ["4"]))
        p.handle(.nodeStarted(nodeID: "3", classType: "KSampler"))
        for i in 1...40 { p.handle(.progress(nodeID: "3", value: i, max: 40)) }
        p.handle(.nodeFinished(nodeID: "3", classType: "KSampler", seconds: 1.5, ui: nil))
        let lines = out.all.split(separator: "\n").map(String.init)
        #expect(lines.first == "cached: [4] CheckpointLoaderSimple")
        #expect(lines[1] == "[3] KSampler ...")
        let steps = lines.filter { $0.hasPrefix("[3] KSampler step ") }
        #expect(steps.count == 21, "step 1, every 2nd step, and the last: \(steps)")
        #expect(steps.last?.hasPrefix("[3] KSampler step 40/40 ") == true)
        #expect(steps.allSatisfy { $0.hasSuffix(" s/it") || $0.hasSuffix(" it/s") })
        #expect(lines.last?.hasPrefix("[3] KSampler 1.50s (40 steps, ") == true, "\(lines.last ?? "")")
    }

    @Test func terminalProgressRedrawsOneLinePerNode() {
        let out = Lines()
        let p = ProgressPrinter(types: ["3": "KSampler"], interactive: true, write: { out.append($0) })
        p.handle(.nodeStarted(nodeID: "3", classType: "KSampler"))
        for i in 1...4 { p.handle(.progress(nodeID: "3", value: i, max: 4)) }
        p.handle(.nodeFinished(nodeID: "3", classType: "KSampler", seconds: 2, ui: nil))
        #expect(out.all.components(separatedBy: "\n").count == 2, "one finished line: \(out.all.debugDescription)")
        #expect(out.all.contains("|########################| 4/4 "))
        #expect(out.all.hasPrefix("\r\u{1B}[K[3] KSampler ...\r\u{1B}[K[3] KSampler |"))
        #expect(out.all.contains("\r\u{1B}[K[3] KSampler 2.00s (4 steps, ") && out.all.hasSuffix(")\n"))
    }

    /// A log line during a node (the loaders log while "[4] CheckpointLoaderSimple ..." is shown):
    /// on a terminal the status line is cleared, the log line written whole, the status drawn again;
    /// to a pipe every write is a whole line.
    @Test(arguments: [true, false]) func logLinesNeverShareTheStatusLine(interactive: Bool) {
        let out = Lines()
        let terminal = StatusTerminal(interactive: interactive, write: { out.append($0) })
        let p = ProgressPrinter(types: ["4": "CheckpointLoaderSimple"], terminal: terminal)
        p.handle(.nodeStarted(nodeID: "4", classType: "CheckpointLoaderSimple"))
        terminal.line("info swiftcomfy.loaders: loaded SD1.5 checkpoint x.safetensors")
        p.handle(.nodeFinished(nodeID: "4", classType: "CheckpointLoaderSimple", seconds: 2, ui: nil))
        if interactive {
            #expect(out.all == "\r\u{1B}[K[4] CheckpointLoaderSimple ..."
                    + "\r\u{1B}[Kinfo swiftcomfy.loaders: loaded SD1.5 checkpoint x.safetensors\n[4] CheckpointLoaderSimple ..."
                    + "\r\u{1B}[K[4] CheckpointLoaderSimple 2.00s\n")
        } else {
            #expect(out.all == "[4] CheckpointLoaderSimple ...\ninfo swiftcomfy.loaders: loaded SD1.5 checkpoint x.safetensors\n"
                    + "[4] CheckpointLoaderSimple 2.00s\n")
        }
    }

    @Test func summaryNamesRanAndCachedNodesAndFiles() {
        var summary = RunSummary()
        summary.executed = ["3", "8"]
        summary.cached = ["4", "5"]
        summary.seconds = ["3": 12.5, "8": 0.25]
        summary.outputs = [URL(fileURLWithPath: "/tmp/x/ComfyUI_00001_.png")]
        let lines = RunSummaryText.lines(TimedRun(summary: summary, seconds: 13), types: ["3": "KSampler", "8": "VAEDecode"])
        #expect(lines == ["done in 13.00s: 2 nodes ran ([3] KSampler 12.50s, [8] VAEDecode 0.25s), 2 cached",
                          "saved /tmp/x/ComfyUI_00001_.png"])
    }

    @Test func demoOverridesSetStepsAndSizeOfTheSeedWorkflow() throws {
        let prompt = try SeedWorkflow.load().prompt
        let o = SeedWorkflow.overrides(for: prompt, steps: 4, size: (64, 96))
        #expect(Set(o.map { "\($0.node).\($0.input)=\($0.value.serialized())" }) == ["3.steps=4", "5.width=64", "5.height=96"])
        #expect(SeedWorkflow.parseSize("512x768")! == (512, 768))
        #expect(SeedWorkflow.parseSize("512") == nil && SeedWorkflow.parseSize("0x8") == nil && SeedWorkflow.parseSize("ax8") == nil)
    }
}
