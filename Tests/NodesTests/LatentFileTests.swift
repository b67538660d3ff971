import Checkpoint
import Execution
import Foundation
@testable import Nodes
import Testing
import TensorCore
import TestSupport
import Workflow

/// SaveLatent / LoadLatent against ComfyUI 0.8.0 nodes.py and the `.latent` files its server
/// wrote (../shared/reference/expected/e2e/*.latent, README part 8). Exact.
@Suite struct LatentFileTests {
    @Test func saveLatentWritesTheTensorMarkerAndMetadata() throws {
        let env = try ImageSaveTests.folders()
        let samples = Tensor(shape: [1, 4, 2, 3], scalars: (0..<24).map { Float($0) - 11.5 })
        let prompt: JSONValue = ["12": ["inputs": ["filename_prefix": "latents/ComfyUI"], "class_type": "SaveLatent"]]
        let run = { try ImageSaveTests.run(SaveLatent.self, ["samples": .linked(LatentValue(samples: samples)),
                                                            "filename_prefix": .constant("latents/ComfyUI"),
                                                            "prompt": .constant(prompt),
                                                            "extra_pnginfo": .constant(["workflow": ["a": 1]])], env) }
        let out = try run()
        let url = try #require(out.files.first)
        #expect(url.path == env.outputDirectory.path + "/latents/ComfyUI_00001_.latent")
        #expect(try run().files.first?.lastPathComponent == "ComfyUI_00002_.latent")
        #expect(JSONValue.object(try #require(out.ui)).serialized()
            == #"{"latents":[{"filename":"ComfyUI_00001_.latent","subfolder":"latents","type":"output"}]}"#)
        let file = try SafeTensorsFile(url: url)
        #expect(try file.tensor("latent_tensor").scalars == samples.scalars)
        #expect(file.info("latent_tensor")?.shape == [1, 4, 2, 3] && file.info("latent_tensor")?.dtype == .f32)
        #expect(file.info("latent_format_version_0")?.shape == [0])
        #expect(file.metadata == ["prompt": prompt.serialized(.python), "workflow": #"{"a": 1}"#])
    }

    /// The reference latents load as stored (they carry the version marker); their metadata
    /// prompt is json.dumps of the submitted prompt, as our `.python` serialisation writes it.
    @Test func loadLatentReadsTheReferenceFiles() throws {
        let env = try ImageSaveTests.folders()
        let dir = SharedKit.expected.appendingPathComponent("e2e")
        for name in ["euler_normal_6", "batch_2"] {
            let source = dir.appendingPathComponent(name + ".latent")
            try FileManager.default.copyItem(at: source, to: env.inputDirectory.appendingPathComponent(name + ".latent"))
            let out = try ImageSaveTests.run(LoadLatent.self, ["latent": .constant(.string(name + ".latent"))], env)
            let latent = try #require(out.values.first as? LatentValue)
            let stored = try SafeTensorsFile(url: source)
            #expect(latent.samples.shape == stored.info("latent_tensor")?.shape)
            #expect(latent.samples.scalars == (try stored.tensor("latent_tensor")).scalars)
            let api = try JSONParser.parse(String(contentsOf: dir.appendingPathComponent(name + ".api.json"), encoding: .utf8))
            #expect(stored.metadata["prompt"] == api.serialized(.python))
            let args = Arguments(values: ["latent": .constant(.string(name + ".latent"))], declaration: LoadLatent.declaration)
            let fp = try LoadLatent.fingerprint(args, NodeContext(nodeID: "1", classType: "LoadLatent", environment: env))
            #expect(fp?.stringValue == (try SHA256.hexOfLargeFile(source)))   // sha256sum where present
        }
        #expect(latentsHashFromE2EJSON(dir) == (try SHA256.hex(ofFile: dir.appendingPathComponent("euler_normal_6.latent"))))
    }

    @Test func filesWithoutTheMarkerAreUnscaled() throws {
        let env = try ImageSaveTests.folders()
        let url = env.inputDirectory.appendingPathComponent("old.latent")
        try SafeTensorsWriter.write([.init(key: "latent_tensor", floats: [0.18215, 1, -2], shape: [1, 1, 1, 3])], to: url)
        let out = try ImageSaveTests.run(LoadLatent.self, ["latent": .constant("old.latent")], env)
        let latent = try #require(out.values.first as? LatentValue)
        let m = Float(1 / 0.18215)
        #expect(latent.samples.scalars == [Float(0.18215) * m, m, -2 * m])
    }

    /// Through the executor: the hidden PROMPT is the prompt run, EXTRA_PNGINFO the environment's.
    @Test func hiddenInputsReachTheMetadata() throws {
        var env = try ImageSaveTests.folders()
        env.extraPNGInfo = JSONObject([("workflow", ["nodes": [1, 2]])])
        let prompt = JSONObject([
            ("1", ["class_type": "EmptyLatentImage", "inputs": ["width": 64, "height": 64, "batch_size": 1]]),
            ("2", ["class_type": "SaveLatent", "inputs": ["samples": ["1", 0], "filename_prefix": "run/x"]]),
        ])
        let summary = try Executor(registry: Registry.standard).validateAndRun(prompt, environment: env)
        let url = try #require(summary.outputs.first)
        #expect(url.lastPathComponent == "x_00001_.latent")
        #expect(try SafeTensorsFile(url: url).metadata == ["prompt": JSONValue.object(prompt).serialized(.python),
                                                           "workflow": #"{"nodes": [1, 2]}"#])
    }

    private func latentsHashFromE2EJSON(_ dir: URL) -> String? {
        guard let text = try? String(contentsOf: dir.appendingPathComponent("e2e.json"), encoding: .utf8),
              let json = try? JSONParser.parse(text) else { return nil }
        return json["euler_normal_6"]?["outputs"]?["latents"]?.arrayValue?.first?["sha256"]?.stringValue
    }
}
