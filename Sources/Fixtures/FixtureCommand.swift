import Foundation

/// The command line of make_fixtures.py, for a CLI to expose (e.g. `swiftcomfy fixtures ...`):
///
///     checkpoint sd15 OUT [--dtype f16|bf16|f32] [--seed N] [--position-ids]
///     vae sd15 OUT [--dtype f16|bf16|f32] [--seed N]
///     vae flux OUT [--dtype f16|bf16|f32] [--seed N]
///     lora KIND OUT [--rank R] [--seed N]     KIND: kohya locon loha lokr peft dora te-only
///                                             flux-kohya flux-diffusers
///     flux-dit OUT [--double D] [--single S] [--seed N]
///     clip-l OUT [--seed N]
///     t5xxl OUT [--seed N]
public enum FixtureCommand: Equatable, Sendable {
    case checkpoint(out: String, dtype: FixtureDType, seed: Int, positionIDs: Bool)
    case vae(out: String, dtype: FixtureDType, seed: Int)
    case fluxVAE(out: String, dtype: FixtureDType, seed: Int)
    case lora(LoRAFixtureKind, out: String, rank: Int, seed: Int)
    case fluxLoRA(FluxLoRAFixtureKind, out: String, rank: Int, seed: Int)
    case fluxDiT(out: String, double: Int, single: Int, seed: Int)
    case clipL(out: String, seed: Int)
    case t5xxl(out: String, seed: Int)

    public struct UsageError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { "\(message)\n\(FixtureCommand.usage)" }
    }

    public static let usage = """
        usage: checkpoint sd15 OUT [--dtype f16|bf16|f32] [--seed N] [--position-ids]
               vae sd15|flux OUT [--dtype f16|bf16|f32] [--seed N]
               lora KIND OUT [--rank R] [--seed N]   (KIND: \(loraKinds.joined(separator: " ")))
               flux-dit OUT [--double D] [--single S] [--seed N]
               clip-l OUT [--seed N]
               t5xxl OUT [--seed N]
        """

    static let loraKinds = LoRAFixtureKind.allCases.map(\.rawValue) + FluxLoRAFixtureKind.allCases.map(\.rawValue)
    /// Commands with no architecture/kind argument (just OUT).
    static let singleFileCommands: Set<String> = ["flux-dit", "clip-l", "t5xxl"]

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
                guard ["--dtype", "--seed", "--rank", "--double", "--single"].contains(parts[0]) else { throw UsageError(message: "unknown option \(arg)") }
                guard let value = parts.count == 2 ? parts[1] : rest.popFirst() else {
                    throw UsageError(message: "\(parts[0]) needs a value")
                }
                options[parts[0]] = value
            } else {
                positional.append(arg)
            }
        }
        if let first = positional.first, Self.singleFileCommands.contains(first) { positional.insert("", at: 1) }
        guard positional.count == 3 else {
            let expected = positional.first.map { Self.singleFileCommands.contains($0) } == true ? 2 : 3
            let got = positional.count - (expected == 2 ? 1 : 0)
            throw UsageError(message: "expected \(expected) arguments, got \(got)")
        }
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
            try refuse("--rank", "--position-ids", "--double", "--single")
            self = .fluxVAE(out: out, dtype: try dtype(.f32), seed: try integer("--seed", 1))
        case "checkpoint", "vae":
            guard what == "sd15" else { throw UsageError(message: "unknown architecture '\(what)' (only sd15)") }
            try refuse("--rank", "--double", "--single")
            if command == "checkpoint" {
                self = .checkpoint(out: out, dtype: try dtype(.f16), seed: try integer("--seed", 0),
                                   positionIDs: flags.contains("--position-ids"))
            } else {
                try refuse("--position-ids")
                self = .vae(out: out, dtype: try dtype(.f32), seed: try integer("--seed", 1))
            }
        case "flux-dit":
            try refuse("--dtype", "--rank", "--position-ids")
            let double = try integer("--double", 2), single = try integer("--single", 2)
            guard double >= 0, single >= 0 else { throw UsageError(message: "--double and --single must not be negative") }
            self = .fluxDiT(out: out, double: double, single: single, seed: try integer("--seed", 10))
        case "clip-l", "t5xxl":
            try refuse("--dtype", "--rank", "--position-ids", "--double", "--single")
            self = command == "clip-l" ? .clipL(out: out, seed: try integer("--seed", 11))
                                       : .t5xxl(out: out, seed: try integer("--seed", 12))
        case "lora" where FluxLoRAFixtureKind(rawValue: what) != nil:
            try refuse("--dtype", "--position-ids", "--double", "--single")
            let rank = try integer("--rank", 4)
            guard rank >= 1 else { throw UsageError(message: "--rank must be at least 1") }
            self = .fluxLoRA(FluxLoRAFixtureKind(rawValue: what)!, out: out, rank: rank, seed: try integer("--seed", 2))
        case "lora":
            guard let kind = LoRAFixtureKind(rawValue: what) else { throw UsageError(message: "unknown LoRA kind '\(what)'") }
            try refuse("--dtype", "--position-ids", "--double", "--single")
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
        case let .fluxLoRA(kind, out, rank, seed):
            try FixtureGenerator.fluxLoRA(kind, to: URL(fileURLWithPath: out), rank: rank, seed: seed)
        case let .fluxDiT(out, double, single, seed):
            try FixtureGenerator.fluxDiT(to: URL(fileURLWithPath: out), double: double, single: single, seed: seed)
        case let .clipL(out, seed):
            try FixtureGenerator.clipL(to: URL(fileURLWithPath: out), seed: seed)
        case let .t5xxl(out, seed):
            try FixtureGenerator.t5xxl(to: URL(fileURLWithPath: out), seed: seed)
        }
    }
}
