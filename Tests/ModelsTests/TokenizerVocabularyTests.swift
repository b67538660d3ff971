import Foundation
import Testing
@testable import Models

/// Oracle: ComfyUI 0.8.0 comfy/sd1_tokenizer/vocab.json (entries copied here for a few ids).
@Suite struct TokenizerVocabularyTests {
    @Test func bundledVocabularyHasCLIPLayout() throws {
        let v = try BPEVocabulary.bundled()
        #expect(v.symbols.count == BPEVocabulary.size)
        #expect(v.symbols[0] == "!")
        #expect(v.symbols[255] == "Ń")
        #expect(v.symbols[256] == "!</w>")
        #expect(v.symbols[511] == "Ń</w>")
        #expect(v.symbols[512] == "in")
        #expect(v.symbols[1125] == "photo</w>")
        #expect(v.symbols[2368] == "cat</w>")
        #expect(v.symbols[49405] == "jekyll</w>")
        #expect(v.symbols[49406] == "<|startoftext|>")
        #expect(v.symbols[49407] == "<|endoftext|>")
        #expect(v.mergeRanks.count == BPEVocabulary.mergeCount)
    }

    @Test func damagedVocabularyIsRefusedWithItsName() throws {
        let error = #expect(throws: Gzip.Failure.self) {
            try BPEVocabulary(gzipped: Data([0x1f, 0x8b, 0x08, 0x00, 0x01]), name: "broken.gz")
        }
        #expect(error?.description.hasPrefix("cannot inflate broken.gz") == true)
    }
}
