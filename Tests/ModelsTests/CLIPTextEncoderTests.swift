import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// Oracle: ../shared/reference/expected/clip.safetensors (CLIPTextEncode, and CLIPSetLastLayer(-2),
/// by ComfyUI 0.8.0 on the CPU with the fp16-held text encoder of the F16 fixture checkpoint).
/// Token ids and weights come from expected/tokens.json, so these tests do not depend on the tokenizer.
/// Tolerance: |a - e| <= 2e-5 + 1e-5·|e| (measured max |diff| 3.7e-6 on values up to 4.4): fp32
/// activations vs fp32 with another summation order.
@Suite struct CLIPTextEncoderTests {
    struct Case: CustomStringConvertible, Sendable {
        let promptID: String, stopAt: Int?, condKey: String, pooledKey: String
        var description: String { stopAt.map { "\(promptID) stop_at_clip_layer=\($0)" } ?? promptID }
    }

    static let cases: [Case] = {
        guard let json = try? Reference.json("clip.json") as? [String: Any],
              let entries = json["entries"] as? [[String: Any]] else { return [] }
        return entries.compactMap { e in
            guard let id = e["prompt_id"] as? String, let cond = e["cond_key"] as? String,
                  let pooled = e["pooled_key"] as? String else { return nil }
            return Case(promptID: id, stopAt: e["stop_at_clip_layer"] as? Int, condKey: cond, pooledKey: pooled)
        }
    }()

    /// The tokenizer's output for a prompt of tokens.json, as CLIPTokenWindows.
    static func windows(_ promptID: String) throws -> [CLIPTokenWindow] {
        let json = try #require(try Reference.json("tokens.json") as? [String: Any])
        let prompts = try #require(json["prompts"] as? [[String: Any]])
        let prompt = try #require(prompts.first { $0["id"] as? String == promptID })
        let chunks = try #require(prompt["chunks"] as? [[String: Any]])
        return try chunks.map {
            CLIPTokenWindow(ids: try #require($0["tokens"] as? [Int]),
                            weights: try #require($0["weights"] as? [Double]))
        }
    }

    @Test func everyReferenceEntryIsCovered() {
        #expect(Self.cases.count == 7)
    }

    @Test(arguments: cases)
    func conditioningMatchesComfyUI(_ c: Case) throws {
        let clip = try ModelFixtures.checkpoint().clip
        let out = try clip.encode(try Self.windows(c.promptID), stopAtClipLayer: c.stopAt)
        let cond = try Reference.tensor("clip.safetensors", c.condKey)
        let pooled = try Reference.tensor("clip.safetensors", c.pooledKey)
        let (dc, sc) = maxAbsDiff(out.cond, cond), (dp, sp) = maxAbsDiff(out.pooled, pooled)
        print("clip \(c): cond max|diff| \(dc) (max|e| \(sc)), pooled max|diff| \(dp) (max|e| \(sp))")
        #expect(closeness(out.cond, cond, relative: 1e-5, absolute: 2e-5) == nil, "\(c) cond")
        #expect(closeness(out.pooled, pooled, relative: 1e-5, absolute: 2e-5) == nil, "\(c) pooled")
    }

    @Test func tokenOutsideTheVocabularyIsAnError() throws {
        let clip = try ModelFixtures.checkpoint().clip
        let window = CLIPTokenWindow(ids: [49406, 60000] + Array(repeating: 49407, count: 75),
                                     weights: Array(repeating: 1, count: 77))
        #expect(throws: CLIPInputError.tokenOutOfRange(60000, vocabulary: 49408)) {
            try clip.encode([window])
        }
    }
}
