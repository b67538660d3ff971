import Checkpoint
import Foundation

extension SHA256 {
    /// Hex digest of a whole file: the system's `sha256sum` (or `shasum -a 256`) when present, as it
    /// is much faster on the multi-GB fixture files, else `SHA256.hex(ofFile:)` (Checkpoint's).
    public static func hexOfLargeFile(_ url: URL) throws -> String {
        for (tool, args) in [("/usr/bin/sha256sum", [String]()), ("/usr/bin/shasum", ["-a", "256"])]
            where FileManager.default.isExecutableFile(atPath: tool) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = args + [url.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus == 0, let line = String(data: output, encoding: .utf8),
               let digest = line.split(separator: " ").first, digest.count == 64 {
                return String(digest)
            }
        }
        return try hex(ofFile: url)
    }
}
