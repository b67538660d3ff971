// Matches ComfyUI 0.8.0 comfy/sd1_clip.py SDTokenizer.tokenize_with_weights ("embedding:" split)
// and SDTokenizer._try_get_embedding.

/// Finds a textual-inversion embedding by the name written after `embedding:` (ComfyUI
/// `load_embed`: every `embeddings` folder and its subfolders, as NAME, NAME.safetensors, .pt,
/// .bin). Returns one vector per token position, or nil when there is no such embedding.
public typealias EmbeddingLookup = @Sendable (_ name: String) -> [[Float]]?

/// One piece of a weighted segment: plain text, or a reference that starts with `embedding:`.
enum EmbeddingReferences {
    static let identifier = Array("embedding:".unicodeScalars)

    /// `re.split(' embedding:|\nembedding:', segment)`, each later part prefixed again with
    /// `embedding:`, empty parts dropped.
    static func pieces(of segment: String) -> [[Unicode.Scalar]] {
        let text = Array(segment.unicodeScalars)
        var parts: [[Unicode.Scalar]] = []
        var start = 0, i = 0
        while i < text.count {
            if text[i] == " " || text[i] == "\n", text[(i + 1)...].starts(with: identifier) {
                parts.append(Array(text[start..<i]))
                start = i + 1                      // the next part keeps "embedding:"
                i += 1 + identifier.count
            } else {
                i += 1
            }
        }
        parts.append(Array(text[start...]))
        return parts.filter { !$0.isEmpty }
    }

    /// What an `embedding:` piece stands for: the vectors found (nil if none), the text left to
    /// tokenize after the name, and the warning ComfyUI logs when the name is not found.
    struct Resolution {
        var vectors: [[Float]]?
        var leftover: [Unicode.Scalar]
        var warning: String?
    }

    /// `_try_get_embedding` on the piece's text after `embedding:` (newlines at both ends
    /// stripped): NAME is the first whitespace-separated field; on a miss, NAME with commas
    /// stripped is tried and the commas are kept in front of the leftover text.
    static func resolve(_ piece: [Unicode.Scalar], lookup: EmbeddingLookup) -> Resolution {
        let reference = PythonText.strip(Array(piece.dropFirst(identifier.count)), ["\n"])
        let fields = PythonText.split(reference)
        let warning = "warning, embedding:\(string(reference)) does not exist, ignoring"
        // ComfyUI raises IndexError on a bare "embedding:"; we treat it as a missing embedding.
        guard let nameScalars = fields.first else { return Resolution(vectors: nil, leftover: [], warning: warning) }
        let name = string(nameScalars)
        var leftover = Array(fields.dropFirst().joined(separator: [" "]))
        var vectors = lookup(name)
        if vectors == nil {
            let stripped = PythonText.strip(nameScalars, [","])
            if stripped.count < nameScalars.count {
                vectors = lookup(string(stripped))
                // Python: "{} {}".format(embedding_name[len(stripped):], leftover)
                leftover = Array(nameScalars[stripped.count...]) + [" "] + leftover
            }
        }
        return Resolution(vectors: vectors, leftover: leftover, warning: vectors == nil ? warning : nil)
    }

    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
