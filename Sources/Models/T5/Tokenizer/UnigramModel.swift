// Matches HF tokenizers' Unigram model (as T5TokenizerFast runs ComfyUI 0.8.0's T5 tokenizer.json:
// unk_id 2, no byte fallback): Viterbi segmentation by the pieces' log-probabilities, an unknown
// character costs min(score) - 10, consecutive unknown characters fuse into one <unk>.

/// A SentencePiece Unigram vocabulary.
struct UnigramModel: Sendable {
    /// Piece (as Unicode scalars) -> (id, score).
    private let pieces: [[Unicode.Scalar]: (id: Int, score: Double)]
    private let maxPieceLength: Int
    let unknownID: Int
    private let unknownScore: Double

    init(vocabulary: [(String, Double)], unknownID: Int) {
        var pieces: [[Unicode.Scalar]: (id: Int, score: Double)] = [:]
        pieces.reserveCapacity(vocabulary.count)
        var longest = 1
        for (id, (piece, score)) in vocabulary.enumerated() {
            let key = Array(piece.unicodeScalars)
            if pieces[key] == nil { pieces[key] = (id, score) }
            longest = max(longest, key.count)
        }
        self.pieces = pieces
        maxPieceLength = longest
        self.unknownID = unknownID
        unknownScore = (vocabulary.map(\.1).min() ?? 0) - 10
    }

    /// The ids of one pre-tokenized piece.
    func encode(_ text: [Unicode.Scalar]) -> [Int] {
        let n = text.count
        guard n > 0 else { return [] }
        // best[e]: the best path ending at e: (score, start, id); start -1 = not reached.
        var score = [Double](repeating: 0, count: n + 1)
        var start = [Int](repeating: -1, count: n + 1)
        var id = [Int](repeating: 0, count: n + 1)
        for s in 0..<n where s == 0 || start[s] >= 0 {
            let base = score[s]
            var single = false
            for length in 1...min(maxPieceLength, n - s) {
                guard let entry = pieces[Array(text[s..<(s + length)])] else { continue }
                let e = s + length, candidate = entry.score + base
                if start[e] < 0 || candidate > score[e] { (score[e], start[e], id[e]) = (candidate, s, entry.id) }
                if length == 1 { single = true }
            }
            if !single {
                let e = s + 1, candidate = unknownScore + base
                if start[e] < 0 || candidate > score[e] { (score[e], start[e], id[e]) = (candidate, s, unknownID) }
            }
        }
        var ids: [Int] = []
        var e = n, inUnknown = false
        while e > 0 {
            if id[e] == unknownID {
                if !inUnknown { ids.append(unknownID) }
                inUnknown = true
            } else {
                ids.append(id[e])
                inUnknown = false
            }
            e = start[e]
        }
        return ids.reversed()
    }
}
