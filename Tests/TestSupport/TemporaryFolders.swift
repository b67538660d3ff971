import Foundation

/// Folders of empty files under a fresh temporary directory: model folders for the validation and
/// `ModelFolders` tests (only the names matter there).
public enum TemporaryFolders {
    /// A new temporary root holding empty files at the given relative paths.
    public static func withEmptyFiles(_ files: [String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-models-" + UUID().uuidString)
        for f in files {
            let url = root.appendingPathComponent(f)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }
}

/// A FIFO at `url` (mkfifo): opening it for reading blocks until a writer comes, the hang that the
/// non-regular-file checks prevent.
public func makeFIFO(at url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    guard mkfifo(url.path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
}

/// Runs `body` on its own thread and fails instead of hanging when it has not returned within
/// `seconds` (a regression that blocks in `open` then fails the test; the thread stays blocked).
public func withinTimeout<T>(seconds: Double = 20, _ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = TimeoutBox<T>(), done = DispatchSemaphore(value: 0)
    Thread {
        box.result = Result { try body() }
        done.signal()
    }.start()
    guard done.wait(timeout: .now() + seconds) == .success, let result = box.result else {
        throw TimedOut(seconds: seconds)
    }
    return try result.get()
}

private final class TimeoutBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

public struct TimedOut: Error, CustomStringConvertible {
    public let seconds: Double
    public var description: String { "did not return within \(seconds) s (blocked?)" }
}
