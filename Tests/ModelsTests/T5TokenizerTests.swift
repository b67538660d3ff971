import Testing
@testable import Models

/// Oracle: the pipeline ComfyUI's T5 tokenizer.json declares (HF tokenizers: normalizers
/// Precompiled, Strip(right), Replace(" {2,}" -> "▁"); pre-tokenizer Metaspace("▁", prepend
/// "first", split); Unigram with unk 2, unknowns fused), and ids read from expected/flux/tokens.json.
@Suite struct T5TokenizerTests {
    @Test func metaspaceCutsBeforeEveryReplacement() {
        #expect(Metaspace.pieces("a b").map { String(String.UnicodeScalarView($0)) } == ["▁a", "▁b"])
        #expect(Metaspace.pieces("▁x").map { String(String.UnicodeScalarView($0)) } == ["▁x"])     // no second "▁"
        #expect(Metaspace.pieces(" rose on").map { String(String.UnicodeScalarView($0)) } == ["▁rose", "▁on"])
    }

    @Test func normalizerStripsTheRightAndFoldsSpaceRuns() throws {
        let normalizer = try T5Tokenizer.bundled().normalizer
        #expect(normalizer.normalize("a   b  ") == "a▁b")
        #expect(normalizer.normalize(" a b") == " a b")
        #expect(normalizer.normalize("more\nnew") == "more new")   // the charsmap maps the newline to a space
    }

    @Test func unknownCharactersFuseIntoOneUnk() throws {
        let tokenizer = try T5Tokenizer.bundled()
        #expect(tokenizer.encode("東京") == [3, 2])                 // "▁", "<unk>" (tokens.json punctuation_unicode)
        #expect(tokenizer.encode("a photograph") == [3, 9, 6419])
    }

    @Test func emptyPromptIsEndTokenAndPadding() throws {
        let result = try T5Tokenizer.bundled().tokenizeWithWeights("")
        #expect(result.ids == [1] + Array(repeating: 0, count: 255))
        #expect(result.weights == Array(repeating: 1, count: 256))
    }

    @Test func longPromptsAreNeitherCutNorChunked() throws {
        let result = try T5Tokenizer.bundled().tokenizeWithWeights(String(repeating: "horse ", count: 300))
        #expect(result.ids.count == 301 && result.ids.last == 1)
    }
}
