import Foundation
@testable import Models
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
        let promptID: String, text: String, stopAt: Int?, condKey: String, pooledKey: String
        var description: String { stopAt.map { "\(promptID) stop_at_clip_layer=\($0)" } ?? promptID }
    }

    static let cases: [Case] = {
        guard let json = try? Reference.json("clip.json") as? [String: Any],
              let entries = json["entries"] as? [[String: Any]] else { return [] }
        return entries.compactMap { e in
            guard let id = e["prompt_id"] as? String, let text = e["text"] as? String,
                  let cond = e["cond_key"] as? String, let pooled = e["pooled_key"] as? String else { return nil }
            return Case(promptID: id, text: text, stopAt: e["stop_at_clip_layer"] as? Int, condKey: cond, pooledKey: pooled)
        }
    }()

    /// The tokenizer's output for a prompt of tokens.json, as TokenWindows.
    static func windows(_ promptID: String) throws -> [TokenWindow] {
        let json = try #require(try Reference.json("tokens.json") as? [String: Any])
        let prompts = try #require(json["prompts"] as? [[String: Any]])
        let prompt = try #require(prompts.first { $0["id"] as? String == promptID })
        let chunks = try #require(prompt["chunks"] as? [[String: Any]])
        return try chunks.map {
            TokenWindow(items: try #require($0["tokens"] as? [Int]).map { .token($0) },
                        weights: try #require($0["weights"] as? [Double]),
                        wordIDs: try #require($0["word_ids"] as? [Int]))
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

    /// The whole CLIPTextEncode node path: the prompt text through CLIPTokenizer, then the encoder.
    @Test(arguments: cases)
    func clipTextEncodeOfTheTextMatchesComfyUI(_ c: Case) throws {
        let clip = try ModelFixtures.checkpoint().clip
        let out = try clip.encode(try CLIPTokenizer.sd1().tokenizeWithWeights(c.text), stopAtClipLayer: c.stopAt)
        let cond = try Reference.tensor("clip.safetensors", c.condKey)
        let pooled = try Reference.tensor("clip.safetensors", c.pooledKey)
        #expect(closeness(out.cond, cond, relative: 1e-5, absolute: 2e-5) == nil, "\(c) cond")
        #expect(closeness(out.pooled, pooled, relative: 1e-5, absolute: 2e-5) == nil, "\(c) pooled")
    }

    @Test func tokenOutsideTheVocabularyIsAnError() throws {
        let clip = try ModelFixtures.checkpoint().clip
        var window = try Self.windows("seed_negative")[0]
        window.items[1] = .token(60000)
        #expect(throws: CLIPInputError.tokenOutOfRange(60000, vocabulary: 49408)) {
            try clip.encode([window])
        }
    }

    /// sd1_clip.py process_tokens splices an embedding vector in at its position: a vector equal
    /// to a token's row of the embedding table gives exactly that token's conditioning. A vector of
    /// the wrong width is dropped and a pad token appended (ComfyUI warns and does the same).
    @Test func embeddingVectorsTakeTheirPosition() throws {
        let clip = try ModelFixtures.checkpoint().clip
        let window = try Self.windows("seed_negative")[0]
        let id = try #require(window.tokenIDs[2] as Int?)
        var spliced = window
        spliced.items[2] = .embedding(clip.tokenEmbedding([id]).scalars)
        let expected = try clip.encode([window]), actual = try clip.encode([spliced])
        #expect(closeness(actual.cond, expected.cond) == nil)
        #expect(closeness(actual.pooled, expected.pooled) == nil)

        var misfit = window
        misfit.items.insert(.embedding([1, 2, 3]), at: 2)
        misfit.items.removeLast()                        // a pad: still 77 positions, one a 3-wide vector
        let padded = try clip.encode([misfit])           // = the original window again
        #expect(closeness(padded.cond, expected.cond) == nil)
    }
}
