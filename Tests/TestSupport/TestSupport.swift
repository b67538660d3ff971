import Foundation

/// Where the shared reference kit lives: `$SWIFTCOMFY_SHARED`, else `../shared` beside the repository.
public enum SharedKit {
    public static var root: URL {
        if let env = ProcessInfo.processInfo.environment["SWIFTCOMFY_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        // Tests/TestSupport/TestSupport.swift -> repository root -> ../shared
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    }
    public static var reference: URL { root.appendingPathComponent("reference") }
    public static var expected: URL { reference.appendingPathComponent("expected") }
    public static var workflows: URL { root.appendingPathComponent("workflows") }
}
