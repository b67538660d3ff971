import Checkpoint
import Foundation
import Runner
import Sampling
import Testing
import TestSupport
import Workflow

/// Oracle: ../shared/reference/expected/e2e/seed_probes.json: the seed workflow with 2 steps and
/// each probe's sampler and seed, run on the ComfyUI 0.8.0 server, with the outcome (success or
/// the node error) and the SHA-256 of SaveLatent's raw F32 tensor bytes.
/// The hashes cannot be compared with ours: they pin ComfyUI's exact bits, and our fp32 UNet sums
/// in another order (about 3e-6 relative, see KSamplerParityTests). What they do pin, and what is
/// compared: probes with equal hashes ran on identical noise, so ours must give bit-identical
/// latents (euler at seed 2^64-1 and 2^32-1: torch's CPU generator seeds from the low 32 bits),
/// and probes with different hashes different ones. Errors must match in
/// node id, node type and message.
@Suite(.serialized) struct SeedProbeTests {
    @Test func everyProbeEndsAsOnTheServer() throws {
        let text = try Data(contentsOf: EndToEnd.e2e.appendingPathComponent("seed_probes.json"))
        let probes = try #require(try JSONParser.parse(Array(text))["probes"]?.arrayValue)
        #expect(probes.count >= 6, "seed_probes.json lists \(probes.count) probes")
        let base = try WorkflowLoader.load(data: Data(contentsOf: EndToEnd.e2e.appendingPathComponent("seed_workflow.api.json"))).prompt
        let runner = try EndToEnd.runner()
        var latents: [(hash: String, scalars: [Float], label: String)] = []
        for probe in probes {
            let sampler = try #require(probe["sampler"]), seed = try #require(probe["seed"]), steps = try #require(probe["steps"])
            let label = "\(sampler.serialized(.python)) seed \(seed.serialized(.python))"
            var prompt = Fixtures.setting(base, "3", "sampler_name", sampler)
            prompt = Fixtures.setting(prompt, "3", "seed", seed)
            prompt = Fixtures.setting(prompt, "3", "steps", steps)
            switch probe["status"]?.stringValue {
            case "success":
                let run = try runner.run(prompt)
                let url = try #require(run.summary.outputs.first { $0.pathExtension == "latent" }, "\(label)")
                let scalars = try TensorIndex(url: url).tensor("latent_tensor").scalars
                latents.append((try #require(probe["latent_tensor_sha256"]?.stringValue), scalars, label))
                print("seed probe \(label): success, \(String(format: "%.1f", run.seconds))s")
            case "error":
                let expected = try #require(probe["error"])
                let failure = try #require(throws: RunFailure.self, "\(label)") { try runner.run(prompt) }
                guard case .nodeFailed(let f) = failure else { Issue.record("\(label): \(failure)"); continue }
                #expect(f.nodeID == expected["node_id"]?.stringValue && f.classType == expected["node_type"]?.stringValue, "\(label): \(f)")
                // ComfyUI: ValueError "Overflow when unpacking long long" from torch's manual_seed(2^64);
                // ours is SeedOverflow, whose message starts with the same words and says why.
                let message = try #require(expected["exception_message"]?.stringValue)
                #expect(message.hasPrefix("Overflow when unpacking long"), "\(label): kit message \(message)")
                let ours = f.message
                #expect(f.underlying is SeedOverflow && ours.hasPrefix("Overflow when unpacking long"), "\(label): \(ours)")
                print("seed probe \(label): error \(f.message)")
            default:
                Issue.record("\(label): unknown status \(probe["status"]?.serialized(.python) ?? "none")")
            }
        }
        #expect(latents.count >= 2)
        for i in latents.indices {
            for j in latents.indices where j > i {
                let same = latents[i].hash == latents[j].hash
                #expect((latents[i].scalars == latents[j].scalars) == same,
                        "\(latents[i].label) vs \(latents[j].label): ComfyUI's hashes \(same ? "equal" : "differ")")
            }
        }
    }
}
