import Checkpoint
import Execution
import Foundation
import Runner
import TensorCore
import Testing
import TestSupport
import Workflow

/// The whole workflows of ../shared/reference/expected/e2e, run through `WorkflowRunner` (what
/// `swiftcomfy run` does) on the fixture models, compared with the files ComfyUI 0.8.0's server wrote.
///
/// Oracle and tolerances:
/// - PNG pixels (decoded by `DecodedPNG`, independent of ImageIO): per channel max |diff| <= 2 and
///   mean |diff| < 0.1 (issue 7), after SaveImage's truncation to uint8.
/// - PNG `prompt` tEXt chunk: parses to the same JSON as ComfyUI's (keys in order, ints stay ints),
///   which includes the server's `is_changed` for LoadImage; that value is also checked to be the
///   SHA-256 of the input file.
/// - `.latent` `latent_tensor`: max |diff| <= 1e-4 x max |expected| (measured <= 6.5e-6 on every case; fp32 against fp32 through a whole
///   sampling run: different GEMM/conv reduction orders compound over the steps); the `prompt`
///   metadata parses to the same JSON as ComfyUI's.
/// One runner serves every case, as one ComfyUI server did (its cache keeps the loaded models between
/// cases, so only the nodes whose inputs differ run; the results must not depend on it).
@Suite(.serialized) struct EndToEndTests {
    static let latentTolerance: Float = 1e-4

    nonisolated(unsafe) static var shared: WorkflowRunner?
    static func runner() throws -> WorkflowRunner {
        if let shared { return shared }
        let r = try EndToEnd.runner()
        shared = r
        return r
    }

    /// The cases come from the folder's file names: a missing or partial folder fails here instead
    /// of running no case.
    @Test func theCasesAreEveryEntryOfE2EJSON() throws {
        let record = try #require(try Reference.json("e2e/e2e.json") as? [String: Any])
        #expect(!EndToEnd.cases.isEmpty && EndToEnd.cases == record.keys.sorted(), "cases in \(EndToEnd.e2e.path)")
    }

    @Test(arguments: EndToEnd.cases)
    func promptReproducesComfyUIsFiles(_ name: String) throws {
        let prompt = try WorkflowLoader.load(data: Data(contentsOf: EndToEnd.e2e.appendingPathComponent("\(name).api.json"))).prompt
        let run = try Self.runner().run(prompt)
        let record = try #require((try Reference.json("e2e/e2e.json") as? [String: Any])?[name] as? [String: Any])
        let outputs = try #require(record["outputs"] as? [String: Any])
        let images = ((outputs["images"] as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String }
        let latents = ((outputs["latents"] as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String }
        let pngs = run.summary.outputs.filter { $0.pathExtension == "png" }
        let ours = run.summary.outputs.filter { $0.pathExtension == "latent" }
        #expect(pngs.count == images.count, "\(name): PNGs \(pngs.map(\.lastPathComponent)) vs \(images)")
        #expect(ours.count == latents.count, "\(name): latents \(ours.map(\.lastPathComponent)) vs \(latents)")
        var report = "e2e \(name): \(String(format: "%.1f", run.seconds))s"
        for (url, file) in zip(pngs, images) {
            let (a, e) = (try DecodedPNG(contentsOf: url), try DecodedPNG(contentsOf: SharedKit.expected.appendingPathComponent(file)))
            let d = try #require(EndToEnd.pixelDifference(a, e), "\(name): \(a.width)x\(a.height)x\(a.channels) vs \(e.width)x\(e.height)x\(e.channels)")
            #expect(d.maxAbs.allSatisfy { $0 <= 2 } && d.meanAbs.allSatisfy { $0 < 0.1 }, "\(name) \(file): \(d)")
            report += "; \((file as NSString).lastPathComponent) \(d)"
            try checkPromptText(a.text["prompt"], against: e.text["prompt"], prompt: prompt, case: name)
        }
        for (url, file) in zip(ours, latents) {
            let index = try TensorIndex(url: url)
            let actual = try index.tensor("latent_tensor")
            let expected = try Reference.tensor(file, "latent_tensor")
            let range = expected.scalars.reduce(Float(0)) { max($0, abs($1)) }
            #expect(closeness(actual, expected, absolute: Self.latentTolerance * range) == nil,
                    "\(name) \(file): \(closeness(actual, expected, absolute: Self.latentTolerance * range) ?? "")")
            #expect(index.contains("latent_format_version_0"))
            let referenceMeta = try SafeTensorsFile(url: SharedKit.expected.appendingPathComponent(file)).metadata["prompt"]
            #expect(try EndToEnd.json(index.files[0].metadata["prompt"]) == EndToEnd.json(referenceMeta), "\(name): latent prompt metadata")
            report += "; latent max|diff|/max|e| \(String(format: "%.2e", EndToEnd.relativeToRange(actual, expected)))"
        }
        print(report)
    }

    /// The `prompt` chunk equals ComfyUI's; a LoadImage's `is_changed` is the SHA-256 of its input file.
    func checkPromptText(_ actual: String?, against expected: String?, prompt: JSONObject, case name: String) throws {
        let ours = try EndToEnd.json(actual)
        #expect(ours == (try EndToEnd.json(expected)), "\(name): prompt chunk\n\(actual ?? "nil")\nvs\n\(expected ?? "nil")")
        for (id, node) in prompt where node["class_type"]?.stringValue == "LoadImage" {
            let file = try #require(node["inputs"]?["image"]?.stringValue)
            let hash = try SHA256.hex(ofFile: EndToEnd.inputs.appendingPathComponent(file))
            #expect(ours[id]?["is_changed"] == .array([.string(hash)]), "\(name): node \(id) is_changed")
        }
    }
}
