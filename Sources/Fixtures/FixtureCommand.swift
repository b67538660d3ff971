import Foundation

/// The command line of make_fixtures.py, for a CLI to expose (e.g. `swiftcomfy fixtures ...`):
///
///     checkpoint sd15 OUT [--dtype f16|bf16|f32] [--seed N] [--position-ids]
///     vae sd15 OUT [--dtype f16|bf16|f32] [--seed N]
///     vae flux OUT [--dtype f16|bf16|f32] [--seed N]
///     lora KIND OUT [--rank R] [--seed N]     KIND: kohya locon loha lokr peft dora te-only
public enum FixtureCommand: Equatable, Sendable {
    case checkpoint(out: String, dtype: FixtureDType, seed: Int, positionIDs: Bool)
    case vae(out: String, dtype: FixtureDType, seed: Int)
    case fluxVAE(out: String, dtype: FixtureDType, seed: Int)
    case lora(LoRAFixtureKind, out: String, rank: Int, seed: Int)

    public struct UsageError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { "\(message)\n\(FixtureCommand.usage)" }
    }

    public static let usage = """
        usage: checkpoint sd15 OUT [--dtype f16|bf16|f32] [--seed N] [--position-ids]
               vae sd15|flux OUT [--dtype f16|bf16|f32] [--seed N]
               lora KIND OUT [--rank R] [--seed N]   (KIND: \(LoRAFixtureKind.allCases.map(\.rawValue).joined(separator: " ")))
        """

    /// Parses the arguments after the program name, with make_fixtures.py's defaults.
    public init(arguments: [String]) throws {
        var positional: [String] = []
        var options: [String: String] = [:]
        var flags = Set<String>()
        var rest = arguments[...]
        while let arg = rest.popFirst() {
            if arg == "--position-ids" {
                flags.insert(arg)
            } else if arg.hasPrefix("--") {
                let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
                guard ["--dtype", "--seed", "--rank"].contains(parts[0]) else { throw UsageError(message: "unknown option \(arg)") }
                guard let value = parts.count == 2 ? parts[1] : rest.popFirst() else {
                    throw UsageError(message: "\(parts[0]) needs a value")
                }
                options[parts[0]] = value
            } else {
                positional.append(arg)
            }
        }
        guard positional.count == 3 else { throw UsageError(message: "expected 3 arguments, got \(positional.count)") }
        let (command, what, out) = (positional[0], positional[1], positional[2])
        func integer(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = options[name] else { return fallback }
            guard let value = Int(text) else { throw UsageError(message: "\(name) must be an integer, got '\(text)'") }
            return value
        }
        func dtype(_ fallback: FixtureDType) throws -> FixtureDType {
            guard let text = options["--dtype"] else { return fallback }
            guard let value = FixtureDType(rawValue: text) else { throw UsageError(message: "unknown --dtype '\(text)'") }
            return value
        }
        func refuse(_ names: String...) throws {
            for name in names where options[name] != nil || flags.contains(name) {
                throw UsageError(message: "\(command) does not take \(name)")
            }
        }
        switch command {
        case "vae" where what == "flux":
            try refuse("--rank", "--position-ids")
            self = .fluxVAE(out: out, dtype: try dtype(.f32), seed: try integer("--seed", 1))
        case "checkpoint", "vae":
            guard what == "sd15" else { throw UsageError(message: "unknown architecture '\(what)' (only sd15)") }
            try refuse("--rank")
            if command == "checkpoint" {
                self = .checkpoint(out: out, dtype: try dtype(.f16), seed: try integer("--seed", 0),
                                   positionIDs: flags.contains("--position-ids"))
            } else {
                try refuse("--position-ids")
                self = .vae(out: out, dtype: try dtype(.f32), seed: try integer("--seed", 1))
            }
        case "lora":
            guard let kind = LoRAFixtureKind(rawValue: what) else { throw UsageError(message: "unknown LoRA kind '\(what)'") }
            try refuse("--dtype", "--position-ids")
            let rank = try integer("--rank", 4)
            guard rank >= 1 else { throw UsageError(message: "--rank must be at least 1") }
            self = .lora(kind, out: out, rank: rank, seed: try integer("--seed", 2))
        default:
            throw UsageError(message: "unknown command '\(command)'")
        }
    }

    /// Writes the file.
    public func run() throws {
        switch self {
        case let .checkpoint(out, dtype, seed, positionIDs):
            try FixtureGenerator.checkpoint(to: URL(fileURLWithPath: out), dtype: dtype, seed: seed, positionIDs: positionIDs)
        case let .vae(out, dtype, seed):
            try FixtureGenerator.vae(to: URL(fileURLWithPath: out), dtype: dtype, seed: seed)
        case let .fluxVAE(out, dtype, seed):
            try FixtureGenerator.fluxVAE(to: URL(fileURLWithPath: out), dtype: dtype, seed: seed)
        case let .lora(kind, out, rank, seed):
            try FixtureGenerator.lora(kind, to: URL(fileURLWithPath: out), rank: rank, seed: seed)
        }
    }
}
