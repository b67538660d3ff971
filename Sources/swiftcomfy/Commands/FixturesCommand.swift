import ArgumentParser
import Fixtures

/// `swiftcomfy fixtures ...`: make_fixtures.py's command line (the random-weight test models the
/// reference kit was computed from), e.g. `swiftcomfy fixtures lora kohya out.safetensors`.
struct FixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixtures",
        abstract: "Write a fixture model file (make_fixtures.py's command line).",
        discussion: FixtureCommand.usage)

    @Argument(parsing: .captureForPassthrough, help: "checkpoint sd15 OUT | vae sd15 OUT | lora KIND OUT, with options")
    var arguments: [String] = []

    func run() throws {
        let command: FixtureCommand
        do { command = try FixtureCommand(arguments: arguments) } catch { throw CLIError("\(error)") }
        do { try command.run() } catch { throw CLIError("\(error)") }
    }
}
