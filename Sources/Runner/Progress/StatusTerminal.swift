import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// stderr as whole lines (log lines, finished nodes, messages) plus at most one status line (the
/// running node, the sampler's bar). On a terminal the status line is redrawn in place, and a whole
/// line first clears it and then draws it again below, so a log line never lands in the middle of
/// "[4] CheckpointLoaderSimple ..."; to a file or pipe the status line is never written (its
/// owner writes whole lines instead).
public final class StatusTerminal: @unchecked Sendable {
    // @unchecked: `status` is only read and written under `lock`; `write` and `interactive` are
    // immutable.
    public let interactive: Bool
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var status: String?

    /// `interactive`: redraw the status line in place (a terminal).
    public init(interactive: Bool, write: @escaping @Sendable (String) -> Void) {
        self.interactive = interactive
        self.write = write
    }

    /// The process's stderr, interactive when it is a terminal.
    public static let standardError = StatusTerminal(interactive: isatty(STDERR_FILENO) == 1) { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes one whole line (a trailing newline is added).
    public func line(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        if let status, interactive {
            write("\r\u{1B}[K" + text + "\n" + status)
        } else {
            write(text + "\n")
        }
    }

    /// Shows `text` as the status line, replacing the previous one (terminal only).
    public func show(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        guard interactive else { return }
        write("\r\u{1B}[K" + text)
        status = text
    }

    /// Removes the status line (terminal only).
    public func clearStatus() {
        lock.lock(); defer { lock.unlock() }
        guard interactive, status != nil else { return }
        write("\r\u{1B}[K")
        status = nil
    }
}
