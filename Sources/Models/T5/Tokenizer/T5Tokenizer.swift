// Matches ComfyUI 0.8.0's T5-XXL tokenizer (comfy/text_encoders/sd3_clip.py T5XXLTokenizer, an
// SDTokenizer over transformers' T5TokenizerFast with comfy/text_encoders/t5_tokenizer/): the
// emphasis syntax gives each segment its weight, each segment is tokenized on its own (the
// tokenizer's trailing </s> dropped), then one </s> (1) ends the prompt and <pad> (0) fills it to
// 256 tokens; no start token, no chunking, no truncation.
import Foundation

/// Token ids and their weights (one entry per token, padding included).
public struct T5TokenizedPrompt: Equatable, Sendable {
    public var ids: [Int]
    public var weights: [Double]
}

/// The T5 v1.1 SentencePiece tokenizer (Unigram, 32,100 pieces) with ComfyUI's prompt handling.
public struct T5Tokenizer: Sendable {
    public static let padID = 0
    public static let endID = 1
    /// ComfyUI pads T5-XXL prompts to at least this many tokens (`min_length`).
    public static let minLength = 256

    let normalizer: T5Normalizer
    let model: UnigramModel
    /// The vocabulary's pieces, by id.
    public let pieces: [String]

    public struct Failure: Error, CustomStringConvertible {
        let reason: String
        public var description: String { "T5 tokenizer: \(reason)" }
    }

    static let resourceName = "t5_tokenizer.json.gz"   // in Sources/Models/Resources

    /// The tokenizer bundled with the Models target (ComfyUI's tokenizer.json, loaded once).
    public static func bundled() throws -> T5Tokenizer { try bundledResult.get() }

    private static let bundledResult: Result<T5Tokenizer, Error> = Result {
        guard let url = Bundle.module.url(forResource: "t5_tokenizer.json", withExtension: "gz", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else {
            throw Failure(reason: "\(resourceName) is missing from the Models bundle")
        }
        return try T5Tokenizer(json: Data(Gzip.inflate(data, name: resourceName)))
    }

    /// Reads an HF tokenizer.json of the T5 kind (Precompiled normalizer, Metaspace, Unigram).
    public init(json: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any],
              let model = root["model"] as? [String: Any], model["type"] as? String == "Unigram",
              let vocab = model["vocab"] as? [[Any]] else {
            throw Failure(reason: "not a Unigram tokenizer.json")
        }
        let entries: [(String, Double)] = try vocab.map { entry in
            guard entry.count == 2, let piece = entry[0] as? String, let score = (entry[1] as? NSNumber)?.doubleValue else {
                throw Failure(reason: "bad vocab entry \(entry)")
            }
            return (piece, score)
        }
        guard let normalizers = (root["normalizer"] as? [String: Any])?["normalizers"] as? [[String: Any]],
              let map = normalizers.first(where: { $0["type"] as? String == "Precompiled" })?["precompiled_charsmap"] as? String,
              let blob = Data(base64Encoded: map) else {
            throw Failure(reason: "no Precompiled normalizer")
        }
        normalizer = T5Normalizer(charsmap: try PrecompiledCharsmap(Array(blob)))
        self.model = UnigramModel(vocabulary: entries, unknownID: model["unk_id"] as? Int ?? 2)
        pieces = entries.map(\.0)
    }

    /// The ids T5TokenizerFast gives `text`, without the </s> it appends.
    public func encode(_ text: String) -> [Int] {
        let normalized = normalizer.normalize(text)
        return Metaspace.pieces(normalized).flatMap { model.encode($0) }
    }

    /// `tokenize_with_weights` of ComfyUI's T5XXLTokenizer: per-token ids and weights, ending
    /// with </s>, padded with <pad> (weight 1) to `minLength`.
    public func tokenizeWithWeights(_ prompt: String) -> T5TokenizedPrompt {
        var ids: [Int] = [], weights: [Double] = []
        for segment in PromptWeights.segments(prompt) where !segment.text.isEmpty {
            let segmentIDs = encode(segment.text)
            ids += segmentIDs
            weights += Array(repeating: segment.weight, count: segmentIDs.count)
        }
        ids.append(Self.endID)
        weights.append(1)
        if ids.count < Self.minLength {
            weights += Array(repeating: 1, count: Self.minLength - ids.count)
            ids += Array(repeating: Self.padID, count: Self.minLength - ids.count)
        }
        return T5TokenizedPrompt(ids: ids, weights: weights)
    }
}
