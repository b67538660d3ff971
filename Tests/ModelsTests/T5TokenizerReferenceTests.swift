import Foundation
import Testing
import TestSupport
@testable import Models

/// One prompt of ../shared/reference/expected/flux/tokens.json: ComfyUI 0.8.0's FluxTokenizer
/// (`clip.tokenize` of DualCLIPLoader type flux, transformers 5.25): chunks of clip_l and t5xxl.
struct FluxTokenizedReference: Decodable, Sendable, CustomTestStringConvertible {
    struct Chunk: Decodable, Sendable {
        let tokens: [Int]
        let weights: [Double]
        let word_ids: [Int]
    }
    struct Side: Decodable, Sendable {
        let num_chunks: Int
        let chunks: [Chunk]
    }
    let id: String
    let text: String
    let warnings: [String]
    let l: Side
    let t5xxl: Side

    var testDescription: String { id }

    static let all: [FluxTokenizedReference] = {
        struct File: Decodable { let prompts: [FluxTokenizedReference] }
        let url = SharedKit.expected.appendingPathComponent("flux/tokens.json")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode(File.self, from: data).prompts) ?? []
    }()
}

@Suite struct T5TokenizerReferenceTests {
    @Test func referenceHasAllPrompts() {
        #expect(FluxTokenizedReference.all.count >= 6, "flux/tokens.json missing or changed under \(SharedKit.expected.path)")
    }

    /// Oracle: flux/tokens.json, t5xxl side. Exact: one chunk, token ids and weights (Double
    /// equality), padding to 256 included.
    @Test(arguments: FluxTokenizedReference.all)
    func t5MatchesComfyUI(_ reference: FluxTokenizedReference) throws {
        let tokenizer = try T5Tokenizer.bundled()
        let result = tokenizer.tokenizeWithWeights(reference.text)
        #expect(reference.t5xxl.num_chunks == 1)
        let chunk = try #require(reference.t5xxl.chunks.first)
        #expect(result.ids == chunk.tokens,
                "\(result.ids.prefix { $0 != 0 }.map { tokenizer.pieces[$0] }) vs \(chunk.tokens.prefix { $0 != 0 }.map { tokenizer.pieces[$0] })")
        #expect(result.weights == chunk.weights)
    }

    /// Oracle: flux/tokens.json, clip_l side: Flux's CLIP-L tokenizer is SD1's (77-token windows).
    @Test(arguments: FluxTokenizedReference.all)
    func clipLMatchesComfyUI(_ reference: FluxTokenizedReference) throws {
        let tokenizer = try CLIPTokenizer.sd1(embeddings: noEmbeddings)
        let result = tokenizer.tokenizeWithWeights(reference.text)
        #expect(result.windows.count == reference.l.num_chunks)
        #expect(result.warnings == reference.warnings)
        for (window, chunk) in zip(result.windows, reference.l.chunks) {
            #expect(window.items == chunk.tokens.map { .token($0) })
            #expect(window.weights == chunk.weights)
            #expect(window.wordIDs == chunk.word_ids)
        }
    }
}
