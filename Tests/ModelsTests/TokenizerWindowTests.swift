import Testing
@testable import Models

/// Oracles: transformers 5.23.0 CLIPTokenizer over comfy/sd1_tokenizer (encode cases) and ComfyUI
/// 0.8.0 SDTokenizer.tokenize_with_weights with a stubbed load_embed (embedding cases), both run
/// once by hand; the ids below are copied from those runs. Exact.
@Suite struct TokenizerWindowTests {
    static let encodeCases: [(String, [Int])] = [
        ("<|endoftext|> a", [49407, 320]),
        ("a<|startoftext|>b", [320, 49406, 321]),
        ("<|ENDOFTEXT|>", [27, 347, 40786, 4160, 91, 285]),   // not an added token: plain text
        ("'tis it's", [713, 533, 585, 568]),
        ("x²½Ⅻ", [343, 41175, 33613, 158, 227, 375]),
        ("ΣΑΣ", [139, 225, 138, 109, 139, 481]),                 // no final-sigma rule
        ("İstanbul", [328, 16384, 11231]),
        ("e\u{301}", [4166]),                                    // NFC: é
        ("hello\u{A0}world", [3306, 1002]),
        ("a\u{200B}b", [320, 9844, 321]),
        ("١٢٣", [149, 350, 149, 351, 149, 352]),
    ]

    @Test(arguments: encodeCases.indices)
    func encodesLikeTransformers(_ row: Int) throws {
        let (text, ids) = Self.encodeCases[row]
        #expect(try CLIPTokenizer.sd1().encode(text) == ids, "\(text.debugDescription)")
    }

    static let vectors: EmbeddingLookup = { name in
        switch name {
        case "good": return [[1, 1], [2, 2]]
        case "one": return [[3, 3]]
        case "empty": return []
        default: return nil
        }
    }

    /// Content of the first window up to and including its end token.
    func content(_ text: String, _ lookup: EmbeddingLookup? = vectors) throws -> (TokenWindow, [String]) {
        let result = try CLIPTokenizer.sd1(embeddings: lookup).tokenizeWithWeights(text)
        var window = try #require(result.windows.first)
        #expect(window.items.count == 77 && window.weights.count == 77 && window.wordIDs.count == 77)
        let end = try #require(window.items.firstIndex(of: .token(49407)))
        window.items.removeSubrange((end + 1)...)
        window.weights.removeSubrange((end + 1)...)
        window.wordIDs.removeSubrange((end + 1)...)
        return (window, result.warnings)
    }

    @Test func embeddingVectorsTakeOnePositionEachWithTheSegmentWeight() throws {
        // "good," misses, so "good" is tried and the comma is tokenized after it.
        let (window, warnings) = try content("a (embedding:good, cat:1.2)")
        #expect(window.items == [.token(49406), .token(320), .embedding([1, 1]), .embedding([2, 2]),
                                 .token(267), .token(2368), .token(49407)])
        #expect(window.weights == [1, 1, 1.2, 1.2, 1.2, 1.2, 1])
        #expect(window.wordIDs == [0, 1, 2, 2, 3, 3, 0])
        #expect(window.tokenIDs == [49406, 320, 267, 2368, 49407])
        #expect(window.embeddings.map(\.position) == [2, 3])
        #expect(warnings.isEmpty)
    }

    @Test func missingAndEmptyEmbeddings() throws {
        let (missing, warnings) = try content("x embedding:nope,")
        #expect(missing.items == [.token(49406), .token(343), .token(267), .token(49407)])
        #expect(missing.wordIDs == [0, 1, 2, 0])
        #expect(warnings == ["warning, embedding:nope, does not exist, ignoring"])
        // An embedding with no rows still uses up a word id.
        let (empty, _) = try content("a embedding:empty b")
        #expect(empty.items == [.token(49406), .token(320), .token(321), .token(49407)])
        #expect(empty.wordIDs == [0, 1, 3, 0])
    }

    @Test func withoutAnEmbeddingsFolderTheReferenceIsText() throws {
        let (window, warnings) = try content("embedding:one", nil)
        let tokenizer = try CLIPTokenizer.sd1()
        #expect(window.tokenIDs == [49406] + tokenizer.encode("embedding:one") + [49407])
        #expect(warnings.isEmpty)
    }

    @Test func bareEmbeddingPrefixIsIgnoredWithAWarning() throws {
        // ComfyUI raises IndexError here; we log its warning and go on.
        let (window, warnings) = try content("a embedding:")
        #expect(window.tokenIDs == [49406, 320, 49407])
        #expect(warnings == ["warning, embedding: does not exist, ignoring"])
    }

    @Test func windowsHoldStartSeventyFiveEndAndPadding() throws {
        let tokenizer = try CLIPTokenizer.sd1()
        let windows = tokenizer.tokenizeWithWeights(String(repeating: "a ", count: 200)).windows
        #expect(windows.count == 3)
        #expect(windows.allSatisfy { $0.items.count == 77 && $0.items.first == .token(49406) })
        #expect(windows.map { $0.tokenIDs.filter { $0 == 320 }.count } == [75, 75, 50])
        #expect(windows[2].tokenIDs[51...] == ArraySlice(repeating: 49407, count: 26))
        #expect(windows.map(\.wordIDs.last) == [0, 0, 0])
        // One segment, one group of 200 tokens (>= 8): split across windows, word id 1 throughout.
        #expect(windows[1].wordIDs[1...75] == ArraySlice(repeating: 1, count: 75))
    }
}
