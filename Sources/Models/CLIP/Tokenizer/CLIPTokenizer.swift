// Matches ComfyUI 0.8.0 comfy/sd1_clip.py SDTokenizer.tokenize_with_weights (SD1Tokenizer's
// clip_l) over transformers 5.23 CLIPTokenizer with comfy/sd1_tokenizer's vocabulary.
import Logging

/// What CLIPTextEncode's tokenizer produces: the windows to encode and the warnings ComfyUI logs.
public struct TokenizedPrompt: Equatable, Sendable {
    public var windows: [TokenWindow]
    public var warnings: [String]

    /// True when any position has a weight other than 1: the encoder then also encodes the empty
    /// sequence and blends (compat section 7.4).
    public var hasWeights: Bool { windows.contains { $0.hasWeights } }
}

/// The CLIP BPE tokenizer with ComfyUI's prompt syntax. Thread-safe; copies share one word cache.
public struct CLIPTokenizer: Sendable {
    public var layout: TokenWindowLayout
    /// Where `embedding:NAME` is looked up. nil means no embeddings folder: ComfyUI then tokenizes
    /// `embedding:NAME` as plain text (SDTokenizer with embedding_directory None).
    public var embeddings: EmbeddingLookup?
    let encoder: BytePairEncoder

    private static let log = Logger(label: "SwiftComfy.CLIPTokenizer")

    public init(vocabulary: BPEVocabulary, layout: TokenWindowLayout = .sd1, embeddings: EmbeddingLookup? = nil) {
        self.init(encoder: BytePairEncoder(vocabulary: vocabulary), layout: layout, embeddings: embeddings)
    }

    init(encoder: BytePairEncoder, layout: TokenWindowLayout, embeddings: EmbeddingLookup?) {
        self.encoder = encoder
        self.layout = layout
        self.embeddings = embeddings
    }

    /// SD1.5's tokenizer (CLIP-L, 77-token windows) over the bundled vocabulary.
    public static func sd1(embeddings: EmbeddingLookup? = nil) throws -> CLIPTokenizer {
        CLIPTokenizer(encoder: try bundledEncoder.get(), layout: .sd1, embeddings: embeddings)
    }

    private static let bundledEncoder = Result { BytePairEncoder(vocabulary: try BPEVocabulary.bundled()) }

    public var vocabulary: BPEVocabulary { encoder.vocabulary }

    /// The vocabulary entry of an id (`</w>` marks a word end), nil outside the vocabulary.
    public func symbol(_ id: Int) -> String? {
        vocabulary.symbols.indices.contains(id) ? vocabulary.symbols[id] : nil
    }

    /// `CLIPTokenizer(text)["input_ids"]` without its start and end tokens: normalised (NFC,
    /// whitespace runs to one space, lower case), split by the CLIP regex, byte-level BPE.
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        for piece in CLIPPreTokenizer.pieces(text) {
            switch piece {
            case .special(let id): ids.append(id)
            case .word(let word): encoder.encode(word, into: &ids)
            }
        }
        return ids
    }

    /// ComfyUI's `tokenize_with_weights`: emphasis, `embedding:` references, then the windows.
    public func tokenizeWithWeights(_ text: String) -> TokenizedPrompt {
        var groups: [[(item: TokenItem, weight: Double)]] = []
        var warnings: [String] = []
        for segment in PromptWeights.segments(text) {
            let weight = segment.weight
            for piece in EmbeddingReferences.pieces(of: segment.text) {
                var words = piece
                if let embeddings, piece.starts(with: EmbeddingReferences.identifier) {
                    let found = EmbeddingReferences.resolve(piece, lookup: embeddings)
                    if let warning = found.warning {
                        warnings.append(warning)
                        Self.log.warning("\(warning)")
                    }
                    if let vectors = found.vectors { groups.append(vectors.map { (.embedding($0), weight) }) }
                    guard !found.leftover.isEmpty else { continue }
                    words = found.leftover
                }
                groups.append(encode(EmbeddingReferences.string(words)).map { (.token($0), weight) })
            }
        }
        return TokenizedPrompt(windows: layout.pack(groups), warnings: warnings)
    }
}
