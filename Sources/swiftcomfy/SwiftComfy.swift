import ArgumentParser

/// `swiftcomfy`: runs, validates and converts ComfyUI workflows.
@main
struct SwiftComfy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftcomfy",
        abstract: "Run ComfyUI workflows on the CPU.",
        subcommands: [DemoCommand.self, RunCommand.self, ValidateCommand.self, ConvertCommand.self, FixturesCommand.self])
}

/// A user-facing failure: printed as `Error: <description>`, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
