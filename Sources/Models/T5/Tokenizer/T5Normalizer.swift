// Matches the normalizer of ComfyUI 0.8.0's T5 tokenizer.json as HF tokenizers runs it: Sequence
// [Precompiled, Strip(right), Replace(" {2,}" -> "▁")].

/// The T5 text normalizer.
struct T5Normalizer: Sendable {
    let charsmap: PrecompiledCharsmap

    func normalize(_ text: String) -> String {
        var scalars = Array(charsmap.normalize(text).unicodeScalars)
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        // Runs of two or more spaces become one "▁" (the Replace normalizer's content).
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        var i = 0
        while i < scalars.count {
            if scalars[i] == " " {
                var j = i
                while j < scalars.count, scalars[j] == " " { j += 1 }
                if j - i >= 2 { out.append(Metaspace.replacement) } else { out.append(" ") }
                i = j
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(String.UnicodeScalarView(out))
    }
}
