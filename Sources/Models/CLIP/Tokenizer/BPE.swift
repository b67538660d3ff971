// Matches the BPE model of HF tokenizers as transformers 5.23 configures it for CLIPTokenizer
// (byte-level symbols, end_of_word_suffix "</w>", no dropout): lowest merge rank first, leftmost
// on ties.
import Foundation

/// Splits one pre-tokenized word into vocabulary ids. Results are cached per word, so a prompt's
/// repeated words cost one dictionary lookup.
final class BytePairEncoder: @unchecked Sendable {
    let vocabulary: BPEVocabulary
    private var cache: [String: [Int32]] = [:]
    private let lock = NSLock()
    /// Bound on cached words; the cache starts over when full (same capacity as HF tokenizers).
    static let cacheCapacity = 10_000

    init(vocabulary: BPEVocabulary) { self.vocabulary = vocabulary }

    /// The ids of `word` (a non-empty piece from the pre-tokenizer) appended to `out`.
    func encode(_ word: String, into out: inout [Int]) {
        lock.lock()
        let cached = cache[word]
        lock.unlock()
        let ids = cached ?? merge(word)
        if cached == nil {
            lock.lock()
            if cache.count >= Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[word] = ids
            lock.unlock()
        }
        for id in ids { out.append(Int(id)) }
    }

    /// Applies the merges to the word's byte symbols, the last one carrying `</w>`.
    func merge(_ word: String) -> [Int32] {
        var symbols = word.utf8.map { ByteLevel.id[Int($0)] }
        guard !symbols.isEmpty else { return [] }
        symbols[symbols.count - 1] += 256
        // ranks[i] is the merge rank of (symbols[i], symbols[i + 1]), Int32.max when unmergeable.
        var ranks = (0..<(symbols.count - 1)).map { rank(symbols[$0], symbols[$0 + 1]) }
        while let best = ranks.indices.min(by: { ranks[$0] < ranks[$1] }), ranks[best] != .max {
            symbols[best] = 512 + ranks[best]
            symbols.remove(at: best + 1)
            ranks.remove(at: best)
            if best > 0 { ranks[best - 1] = rank(symbols[best - 1], symbols[best]) }
            if best < ranks.count { ranks[best] = rank(symbols[best], symbols[best + 1]) }
        }
        return symbols
    }

    @inline(__always)
    private func rank(_ left: Int32, _ right: Int32) -> Int32 {
        vocabulary.mergeRanks[BPEVocabulary.pairKey(left, right)] ?? .max
    }
}
