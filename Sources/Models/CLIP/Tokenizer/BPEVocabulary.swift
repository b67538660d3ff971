// Matches the vocabulary of ComfyUI 0.8.0 comfy/sd1_tokenizer (vocab.json + merges.txt), rebuilt
// from the merge list that ships with open_clip (`bpe_simple_vocab_16e6.txt.gz`).
import Foundation

/// CLIP's byte-level BPE vocabulary: ids 0...255 are the byte stand-ins, 256...511 the same with
/// `</w>` (end of word), 512 + r the result of merge r, then the start and end tokens.
public struct BPEVocabulary: Sendable {
    public static let mergeCount = 48_894
    public static let startOfText = 49_406
    public static let endOfText = 49_407
    public static let size = 49_408

    /// The vocabulary entry of every id (byte-level spelling; `</w>` ends a word).
    public let symbols: [String]
    /// Merge rank of each mergeable pair, keyed by `pairKey(left, right)`; the pair merges into
    /// id 512 + rank, and lower ranks merge first.
    let mergeRanks: [UInt64: Int32]

    static let resourceName = "bpe_simple_vocab_16e6.txt.gz"   // in Sources/Models/Resources

    /// The vocabulary bundled with the Models target (loaded once, shared).
    public static func bundled() throws -> BPEVocabulary { try bundledResult.get() }

    private static let bundledResult: Result<BPEVocabulary, Error> = Result {
        let url = Bundle.module.url(forResource: "bpe_simple_vocab_16e6.txt", withExtension: "gz",
                                    subdirectory: "Resources")
        guard let url, let data = try? Data(contentsOf: url) else {
            throw Gzip.Failure(file: resourceName, reason: "resource missing from the Models bundle")
        }
        return try BPEVocabulary(gzipped: data, name: resourceName)
    }

    public init(gzipped data: Data, name: String) throws {
        try self.init(mergeList: Gzip.inflate(data, name: name), name: name)
    }

    /// Builds the vocabulary from the merge list text: a header line, then one `left right` per line.
    init(mergeList text: [UInt8], name: String) throws {
        var symbols: [String] = []
        symbols.reserveCapacity(Self.size)
        for suffix in ["", "</w>"] {
            for byte in ByteLevel.vocabularyOrder { symbols.append(String(ByteLevel.standIn[Int(byte)]) + suffix) }
        }
        var ids = [String: Int32](minimumCapacity: Self.size)
        for (id, symbol) in symbols.enumerated() { ids[symbol] = Int32(id) }
        var ranks = [UInt64: Int32](minimumCapacity: Self.mergeCount)

        let lines = text.split(separator: UInt8(ascii: "\n"), maxSplits: Self.mergeCount + 1,
                               omittingEmptySubsequences: false)
        guard lines.count > Self.mergeCount else {
            throw Gzip.Failure(file: name, reason: "has \(lines.count - 1) merge lines, expected at least \(Self.mergeCount)")
        }
        for rank in 0..<Self.mergeCount {
            let line = lines[rank + 1]   // line 0 is the "#version" header
            let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard parts.count == 2, let left = ids[String(decoding: parts[0], as: UTF8.self)],
                  let right = ids[String(decoding: parts[1], as: UTF8.self)] else {
                throw Gzip.Failure(file: name, reason: "merge line \(rank + 2) is not two known symbols")
            }
            let merged = symbols[Int(left)] + symbols[Int(right)]
            ids[merged] = Int32(symbols.count)
            symbols.append(merged)
            ranks[Self.pairKey(left, right)] = Int32(rank)
        }
        symbols.append("<|startoftext|>")
        symbols.append("<|endoftext|>")
        self.symbols = symbols
        self.mergeRanks = ranks
    }

    @inline(__always)
    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}
