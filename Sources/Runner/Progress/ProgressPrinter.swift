import Execution
import Foundation

/// Turns execution events into terminal lines (the CLI writes them to stderr, through
/// `StatusTerminal.standardError`, which log lines share): one line per node with its id, type and
/// time; the running node and the sampler's steps (a bar with `i/N` and s/it) as the status line,
/// redrawn in place on a terminal, or a line every few steps (at most 20 per node) when stderr is a
/// file or pipe.
public final class ProgressPrinter: @unchecked Sendable {
    // @unchecked: the one mutable property, `stepClock`, is only touched under `lock`.
    private let types: [String: String]
    private let terminal: StatusTerminal
    private let lock = NSLock()
    private var stepClock = StepClock()

    /// `types`: node id -> class_type (for the cached list).
    public init(types: [String: String], terminal: StatusTerminal) {
        self.types = types
        self.terminal = terminal
    }

    /// `interactive`: redraw in place; `write` receives the text.
    public convenience init(types: [String: String], interactive: Bool, write: @escaping @Sendable (String) -> Void) {
        self.init(types: types, terminal: StatusTerminal(interactive: interactive, write: write))
    }

    public var observer: ExecutionObserver { { [self] event in self.handle(event) } }

    public func handle(_ event: ExecutionEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .started(let cached):
            guard !cached.isEmpty else { return }
            terminal.line("cached: " + cached.map { "[\($0)] \(types[$0] ?? "?")" }.joined(separator: ", "))
        case let .nodeStarted(id, type):
            stepClock = StepClock()
            status("[\(id)] \(type) ...")
        case let .progress(id, value, max, _):
            let rate = stepClock.step(value)
            let type = types[id] ?? ""
            if terminal.interactive {
                terminal.show("[\(id)] \(type) \(Self.bar(value, max)) \(value)/\(max) \(Self.rate(rate))")
            } else if value == 1 || value == max || value % Swift.max(1, (max + 19) / 20) == 0 {
                terminal.line("[\(id)] \(type) step \(value)/\(max) \(Self.rate(rate))")
            }
        case let .nodeFinished(id, type, seconds, _):
            var line = "[\(id)] \(type) \(Self.seconds(seconds))"
            if let steps = stepClock.lastStep, let rate = stepClock.mean {
                line += " (\(steps) steps, \(Self.rate(rate)))"
            }
            terminal.clearStatus()
            terminal.line(line)
        case .cachedOutput, .succeeded, .failed, .interrupted:
            break   // the summary and the failure are printed by the caller
        }
    }

    /// The status line on a terminal; a whole line elsewhere.
    private func status(_ text: String) {
        if terminal.interactive { terminal.show(text) } else { terminal.line(text) }
    }

    static func bar(_ value: Int, _ max: Int, width: Int = 24) -> String {
        let filled = max > 0 ? Swift.min(width, value * width / max) : 0
        return "|" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "|"
    }

    /// `1.84 s/it`, or `it/s` when a step is faster than a second (as tqdm prints it).
    static func rate(_ secondsPerStep: Double) -> String {
        if secondsPerStep >= 1 || secondsPerStep <= 0 { return String(format: "%.2f s/it", secondsPerStep) }
        return String(format: "%.2f it/s", 1 / secondsPerStep)
    }

    static func seconds(_ s: Double) -> String { String(format: "%.2fs", s) }
}

/// Times sampler steps within one node: the first step is measured from the node's start (it
/// includes the sampler's set-up), later ones from the first step, so the mean settles quickly.
struct StepClock {
    private let start = DispatchTime.now().uptimeNanoseconds
    private var first: (step: Int, at: UInt64)?
    private(set) var lastStep: Int?
    private(set) var mean: Double?

    /// Records step `value`; returns the mean seconds per step so far.
    mutating func step(_ value: Int) -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        lastStep = value
        if let first, value > first.step {
            mean = Double(now - first.at) / 1e9 / Double(value - first.step)
        } else {
            first = (value, now)
            mean = Double(now - start) / 1e9 / Double(Swift.max(value, 1))
        }
        return mean ?? 0
    }
}
