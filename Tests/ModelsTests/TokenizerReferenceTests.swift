import Foundation
import Testing
import TestSupport
@testable import Models

/// One prompt of ../shared/reference/expected/tokens.json: ComfyUI 0.8.0's
/// `SD1Tokenizer.tokenize_with_weights` (transformers 5.23 CLIPTokenizer) for `text`.
struct TokenizedReference: Decodable, Sendable, CustomTestStringConvertible {
    struct Chunk: Decodable, Sendable {
        let tokens: [Int]
        let weights: [Double]
        let word_ids: [Int]
    }
    let id: String
    let text: String
    let num_chunks: Int
    let warnings: [String]
    let chunks: [Chunk]

    var testDescription: String { id }

    static let all: [TokenizedReference] = {
        struct File: Decodable { let prompts: [TokenizedReference] }
        let url = SharedKit.expected.appendingPathComponent("tokens.json")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode(File.self, from: data).prompts) ?? []
    }()
}

/// A lookup that finds nothing: the reference ran with an empty `embeddings` folder.
let noEmbeddings: EmbeddingLookup = { _ in nil }

@Suite struct TokenizerReferenceTests {
    @Test func referenceHasAllPrompts() {
        #expect(TokenizedReference.all.count == 22, "tokens.json missing or changed under \(SharedKit.expected.path)")
    }

    /// Oracle: tokens.json. Exact: token ids, word ids and weights (Double equality, e.g.
    /// 1.1 * 1.1 = 1.2100000000000002), number of windows and logged warnings.
    @Test(arguments: TokenizedReference.all)
    func matchesComfyUI(_ reference: TokenizedReference) throws {
        let tokenizer = try CLIPTokenizer.sd1(embeddings: noEmbeddings)
        let result = tokenizer.tokenizeWithWeights(reference.text)
        #expect(result.windows.count == reference.num_chunks)
        #expect(result.warnings == reference.warnings)
        for (window, chunk) in zip(result.windows, reference.chunks) {
            #expect(window.items == chunk.tokens.map { .token($0) },
                    "\(window.tokenIDs.map { tokenizer.symbol($0) ?? "?" })")
            #expect(window.weights == chunk.weights)
            #expect(window.wordIDs == chunk.word_ids)
        }
    }
}
