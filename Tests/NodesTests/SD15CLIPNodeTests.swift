import Checkpoint
import Execution
import Foundation
import Models
import Nodes
import TensorCore
import Testing
import TestSupport
import Workflow

/// Oracle: ../shared/reference/expected/clip.safetensors: ComfyUI 0.8.0's CLIPTextEncode (and
/// CLIPSetLastLayer(-2)) with the CLIP of CheckpointLoaderSimple('v1-5-pruned-emaonly-fp16.safetensors'),
/// here through the nodes' `execute` from the prompt text. Tolerance as ModelsTests' CLIP tests:
/// |a - e| <= 2e-5 + 1e-5·|e| (fp32 vs fp32, another summation order).
@Suite struct SD15CLIPNodeTests {
    struct Case: CustomStringConvertible, Sendable {
        let text: String, stopAt: Int?, condKey: String, pooledKey: String
        var description: String { condKey }
    }

    static let cases: [Case] = {
        guard let json = try? Reference.json("clip.json") as? [String: Any],
              let entries = json["entries"] as? [[String: Any]] else { return [] }
        return entries.compactMap { e in
            guard let text = e["text"] as? String, let cond = e["cond_key"] as? String,
                  let pooled = e["pooled_key"] as? String else { return nil }
            return Case(text: text, stopAt: e["stop_at_clip_layer"] as? Int, condKey: cond, pooledKey: pooled)
        }
    }()

    @Test func referenceHasSevenEntries() { #expect(Self.cases.count == 7) }

    @Test(arguments: cases)
    func clipTextEncodeMatchesComfyUI(_ c: Case) throws {
        var clip = try SD15Nodes.checkpoint().clip
        if let layer = c.stopAt {
            clip = try #require(try SD15Nodes.run(CLIPSetLastLayer.self, ["clip": clip, "stop_at_clip_layer": JSONValue.int(Int64(layer))])[0] as? CLIPValue)
        }
        let out = try SD15Nodes.run(CLIPTextEncode.self, ["clip": clip, "text": JSONValue.string(c.text)])
        let entry = try #require((out[0] as? ConditioningValue)?.entries.first)
        let cond = try Reference.tensor("clip.safetensors", c.condKey)
        let pooled = try Reference.tensor("clip.safetensors", c.pooledKey)
        let (d, s) = SD15Nodes.maxAbsDiff(entry.cond, cond)
        print("CLIPTextEncode \(c): cond max|diff| \(d) (max|e| \(s))")
        #expect(closeness(entry.cond, cond, relative: 1e-5, absolute: 2e-5) == nil, "\(c) cond")
        #expect(closeness(try #require(entry.pooled), pooled, relative: 1e-5, absolute: 2e-5) == nil, "\(c) pooled")
    }

    /// CLIPSetLastLayer(-1) is the normal output (sd1_clip.py: hidden layer -1 normed = last).
    @Test func lastLayerMinusOneIsTheNormalOutput() throws {
        let clip = try SD15Nodes.checkpoint().clip
        let set = try #require(try SD15Nodes.run(CLIPSetLastLayer.self, ["clip": clip, "stop_at_clip_layer": JSONValue.int(-1)])[0] as? CLIPValue)
        let a = try clip.clip.encode("text, watermark"), b = try set.clip.encode("text, watermark")
        #expect(closeness(a.cond, b.cond) == nil)
    }

    /// Oracle: ComfyUI load_embed + process_tokens: an embedding file in a sub-folder of
    /// `embeddings` (rows = the token rows of "red rose", under the `clip_l` key) is spliced in
    /// where `embedding:NAME` stands, so the conditioning equals that of the words. Exact.
    @Test func embeddingFromTheEmbeddingsFolderTakesTheTokensPlace() throws {
        let (model, clip, _) = try SD15Nodes.checkpoint()
        let base = try #require(model.model as? SD15DiffusionModel).base
        let table = try #require(base.weights.tensors[
            "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight"])
        let ids = try CLIPTokenizer.sd1().encode("red rose")
        #expect(ids.count == 2)
        var rows: [Float] = []
        table.float32().withUnsafeBufferPointer { t in for id in ids { rows += t[(id * 768)..<((id + 1) * 768)] } }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sd15-embeddings-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("embeddings/sub")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try SafeTensorsWriter.write([.init(key: "clip_l", floats: rows, shape: [ids.count, 768])],
                                    to: folder.appendingPathComponent("rose.safetensors"))

        let folders = ModelFolders(roots: [root]).folders(for: "embeddings")
        let encoder = try SD15TextEncoder(base: base, embeddingFolders: folders)
        let spliced = try encoder.encode("a embedding:rose vase")
        let words = try clip.clip.encode("a red rose vase")
        #expect(closeness(spliced.cond, words.cond) == nil)
        #expect(closeness(try #require(spliced.pooled), try #require(words.pooled)) == nil)
        // Without the folder the reference is dropped with ComfyUI's warning: another conditioning.
        let missing = try SD15TextEncoder(base: base, embeddingFolders: []).encode("a embedding:rose vase")
        #expect(closeness(missing.cond, words.cond) != nil)
    }
}
