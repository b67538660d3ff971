import Foundation
import Testing
@testable import Fixtures

/// Oracle: make_fixtures.py's argparse definitions (defaults: checkpoint f16 seed 0, vae f32
/// seed 1, lora rank 4 seed 2) and its refusals.
@Suite struct FixtureCommandTests {
    @Test func parsesWithReferenceDefaults() throws {
        #expect(try FixtureCommand(arguments: ["checkpoint", "sd15", "o.st"])
                == .checkpoint(out: "o.st", dtype: .f16, seed: 0, positionIDs: false))
        #expect(try FixtureCommand(arguments: ["checkpoint", "sd15", "o.st", "--dtype", "bf16", "--seed=3", "--position-ids"])
                == .checkpoint(out: "o.st", dtype: .bf16, seed: 3, positionIDs: true))
        #expect(try FixtureCommand(arguments: ["vae", "sd15", "v.st"]) == .vae(out: "v.st", dtype: .f32, seed: 1))
        #expect(try FixtureCommand(arguments: ["vae", "flux", "ae.st"]) == .fluxVAE(out: "ae.st", dtype: .f32, seed: 1))
        #expect(try FixtureCommand(arguments: ["lora", "te-only", "l.st", "--rank", "8", "--seed", "-7"])
                == .lora(.teOnly, out: "l.st", rank: 8, seed: -7))
        #expect(try FixtureCommand(arguments: ["lora", "kohya", "l.st"]) == .lora(.kohya, out: "l.st", rank: 4, seed: 2))
        #expect(try FixtureCommand(arguments: ["lora", "flux-kohya", "l.st"]) == .fluxLoRA(.kohya, out: "l.st", rank: 4, seed: 2))
        #expect(try FixtureCommand(arguments: ["lora", "flux-diffusers", "l.st", "--rank", "8"])
                == .fluxLoRA(.diffusers, out: "l.st", rank: 8, seed: 2))
        #expect(try FixtureCommand(arguments: ["flux-dit", "d.st"]) == .fluxDiT(out: "d.st", double: 2, single: 2, seed: 10))
        #expect(try FixtureCommand(arguments: ["flux-dit", "d.st", "--double", "19", "--single=38", "--seed", "3"])
                == .fluxDiT(out: "d.st", double: 19, single: 38, seed: 3))
        #expect(try FixtureCommand(arguments: ["clip-l", "c.st"]) == .clipL(out: "c.st", seed: 11))
        #expect(try FixtureCommand(arguments: ["t5xxl", "t.st", "--seed", "4"]) == .t5xxl(out: "t.st", seed: 4))
    }

    @Test(arguments: [
        (["lora", "ia3", "x"], "unknown LoRA kind 'ia3'"),
        (["checkpoint", "sdxl", "x"], "unknown architecture 'sdxl' (only sd15)"),
        (["checkpoint", "sd15", "x", "--dtype", "f8"], "unknown --dtype 'f8'"),
        (["vae", "sd15", "x", "--position-ids"], "vae does not take --position-ids"),
        (["lora", "kohya", "x", "--rank", "0"], "--rank must be at least 1"),
        (["lora", "kohya", "x", "--seed"], "--seed needs a value"),
        (["lora", "kohya"], "expected 3 arguments, got 2"),
        (["t5xxl"], "expected 2 arguments, got 1"),
        (["clip-l", "c.st", "--dtype", "f32"], "clip-l does not take --dtype"),
        (["t5xxl", "t.st", "--double", "2"], "t5xxl does not take --double"),
        (["lora", "flux-kohya", "x", "--single", "1"], "lora does not take --single"),
        (["flux-dit", "d.st", "--double", "-1"], "--double and --single must not be negative"),
    ])
    func refusesBadArguments(_ arguments: [String], _ message: String) {
        #expect(throws: FixtureCommand.UsageError(message: message)) { try FixtureCommand(arguments: arguments) }
    }
}
