// Matches transformers 5.23 CLIPTokenizer (Rust `tokenizers` backend) up to BPE, as recorded in
// ../shared/reference/expected/environment.json: added tokens, then the normalizer
// NFC -> Replace(\s+, " ") -> Lowercase, then the pre-tokenizer Split(CLIP regex, keep matches)
// -> ByteLevel(use_regex) (done by the caller's BPE on UTF-8 bytes).
import Foundation

/// Turns text into the words the BPE sees, and the special tokens written in the text.
enum CLIPPreTokenizer {
    enum Piece: Equatable {
        case special(Int)    // `<|startoftext|>` / `<|endoftext|>` written in the prompt
        case word(String)    // one BPE word
    }

    /// `<|endoftext|>` is an added token with normalized=false (matched in the raw text);
    /// `<|startoftext|>` has normalized=true (matched after normalization, so also in upper case).
    private static let endOfText = Array("<|endoftext|>".unicodeScalars)
    private static let startOfText = Array("<|startoftext|>".unicodeScalars)

    static func pieces(_ text: String) -> [Piece] {
        var out: [Piece] = []
        let raw = Array(text.unicodeScalars)
        forEachPart(of: raw, splitAt: endOfText) { part in
            guard let part else { out.append(.special(BPEVocabulary.endOfText)); return }
            let normalized = normalize(part)
            forEachPart(of: normalized, splitAt: startOfText) { inner in
                guard let inner else { out.append(.special(BPEVocabulary.startOfText)); return }
                split(inner, into: &out)
            }
        }
        return out
    }

    /// Calls `body` with each text between occurrences of `marker`, and nil for each occurrence.
    private static func forEachPart(of text: [Unicode.Scalar], splitAt marker: [Unicode.Scalar],
                                    _ body: (ArraySlice<Unicode.Scalar>?) -> Void) {
        var start = 0, i = 0
        while i + marker.count <= text.count {
            if text[i] == marker[0] && text[i..<(i + marker.count)].elementsEqual(marker) {
                if start < i { body(text[start..<i]) }
                body(nil)
                i += marker.count
                start = i
            } else {
                i += 1
            }
        }
        if start < text.count { body(text[start...]) }
    }

    /// NFC, whitespace runs to one space, then per-character full lower-casing (no final-sigma
    /// rule: the Rust normalizer maps each character on its own).
    static func normalize(_ text: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var composed = Array(text)
        if composed.contains(where: { $0.value >= 0x300 }) {   // below U+0300 all text is NFC
            let string = String(String.UnicodeScalarView(text)).precomposedStringWithCanonicalMapping
            composed = Array(string.unicodeScalars)
        }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(composed.count)
        var inSpace = false
        for s in composed {
            if s.properties.isWhitespace {
                if !inSpace { out.append(" ") }
                inSpace = true
                continue
            }
            inSpace = false
            if s.isASCII {
                out.append(s.value >= 65 && s.value <= 90 ? Unicode.Scalar(s.value + 32)! : s)
            } else {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    /// The CLIP split regex, matched leftmost-first at each position; unmatched text (whitespace)
    /// is dropped: `<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`
    static func split(_ text: some Collection<Unicode.Scalar>, into out: inout [Piece]) {
        let s = Array(text)
        var i = 0
        func emit(_ range: Range<Int>) { out.append(.word(String(String.UnicodeScalarView(s[range])))) }
        while i < s.count {
            let c = s[i]
            if c.properties.isWhitespace { i += 1; continue }
            if c == "<", let marker = [startOfText, endOfText].first(where: { s[i...].starts(with: $0) }) {
                // Kept as one piece by the split, then cut by ByteLevel's GPT-2 regex into
                // "<|", the letters, and "|>".
                emit(i..<(i + 2)); emit((i + 2)..<(i + marker.count - 2))
                emit((i + marker.count - 2)..<(i + marker.count))
                i += marker.count
            } else if c == "'", let length = contraction(s, after: i) {
                emit(i..<(i + length)); i += length
            } else if isLetter(c) {
                let end = s[i...].firstIndex(where: { !isLetter($0) }) ?? s.count
                emit(i..<end); i = end
            } else if isNumber(c) {
                emit(i..<(i + 1)); i += 1
            } else {
                let end = s[i...].firstIndex(where: { $0.properties.isWhitespace || isLetter($0) || isNumber($0) })
                    ?? s.count
                emit(i..<end); i = end
            }
        }
    }

    /// Length of `'s|'t|'re|'ve|'m|'ll|'d` at `i` (which holds the apostrophe), if any.
    private static func contraction(_ s: [Unicode.Scalar], after i: Int) -> Int? {
        let next = i + 1 < s.count ? s[i + 1] : nil, second = i + 2 < s.count ? s[i + 2] : nil
        switch (next, second) {
        case ("s", _), ("t", _), ("m", _), ("d", _): return 2
        case ("r", "e"), ("v", "e"), ("l", "l"): return 3
        default: return nil
        }
    }

    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return (s.value | 0x20) >= 97 && (s.value | 0x20) <= 122 }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    private static func isNumber(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return s.value >= 48 && s.value <= 57 }
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
}
