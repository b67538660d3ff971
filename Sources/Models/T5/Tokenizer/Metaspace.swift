// Matches HF tokenizers' Metaspace pre-tokenizer as ComfyUI 0.8.0's T5 tokenizer.json configures it
// (replacement "▁", prepend_scheme "first", split): spaces become "▁", a "▁" is prepended unless
// the text starts with one, and the text is cut before every "▁" (each piece keeps its "▁").

/// The Metaspace pre-tokenizer.
enum Metaspace {
    static let replacement: Unicode.Scalar = "\u{2581}"

    /// The pieces of normalized `text`, each starting with "▁" (except possibly the first).
    static func pieces(_ text: String) -> [[Unicode.Scalar]] {
        var scalars = text.unicodeScalars.map { $0 == " " ? replacement : $0 }
        if scalars.first != replacement { scalars.insert(replacement, at: 0) }
        var pieces: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for s in scalars {
            if s == replacement, !current.isEmpty {
                pieces.append(current)
                current = []
            }
            current.append(s)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
