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
