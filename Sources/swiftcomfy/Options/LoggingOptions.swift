import ArgumentParser
import Logging
import Runner

/// `--verbose`: debug log lines too (the loaders' detected configs, "N tensors not used"); without
/// it, info and above. Log lines go to stderr through `StatusTerminal.standardError`, the same
/// writer as the progress, so they never land inside a progress line.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Also print debug log lines (detected model configs, unused tensors).")
    var verbose = false

    /// Installs the handler; call once, first thing in a command's `run()`.
    func bootstrap() {
        let level: Logger.Level = verbose ? .debug : .info
        LoggingSystem.bootstrap { label in TerminalLogHandler(label: label, logLevel: level) }
    }
}

/// "LEVEL LABEL: message key=value ..." as one whole line on stderr.
struct TerminalLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, logLevel: Logger.Level) {
        self.label = label
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = all.keys.sorted().map { " \($0)=\(all[$0]!)" }.joined()
        StatusTerminal.standardError.line("\(event.level) \(label): \(event.message)\(fields)")
    }
}
