// Matches ComfyUI 0.8.0 comfy/sd1_clip.py SDTokenizer.tokenize_with_weights, "reshape token
// array to CLIP input size": groups packed into fixed windows of start + content + end + padding.

/// One input position of the text encoder: a vocabulary id, or an embedding vector spliced in
/// place of a token (from `embedding:NAME`).
public enum TokenItem: Equatable, Sendable {
    case token(Int)
    case embedding([Float])
}

/// One window (ComfyUI's "chunk"): `layout.length` positions, each with its weight and word id
/// (0 for start/end/pad tokens, else 1 + the index of the group it came from).
public struct TokenWindow: Equatable, Sendable {
    public var items: [TokenItem]
    public var weights: [Double]
    public var wordIDs: [Int]

    /// The vocabulary ids of the window, embeddings left out (ComfyUI `process_tokens`
    /// `tokens_temp`); equal to the window when it holds no embedding.
    public var tokenIDs: [Int] {
        items.compactMap { if case .token(let id) = $0 { return id } else { return nil } }
    }

    /// The embedding vectors and their positions in the window.
    public var embeddings: [(position: Int, vector: [Float])] {
        items.enumerated().compactMap { index, item in
            if case .embedding(let v) = item { return (index, v) } else { return nil }
        }
    }

    /// True when some position has a weight other than exactly 1.
    public var hasWeights: Bool { weights.contains { $0 != 1.0 } }

    mutating func append(_ item: TokenItem, weight: Double, word: Int) {
        items.append(item); weights.append(weight); wordIDs.append(word)
    }
}

/// The window shape of one encoder. SD1's CLIP-L: 77 positions, start 49406, end and pad 49407.
public struct TokenWindowLayout: Equatable, Sendable {
    public var length = 77
    public var startToken: Int? = BPEVocabulary.startOfText
    public var endToken: Int? = BPEVocabulary.endOfText
    public var padToken = BPEVocabulary.endOfText
    /// Groups with at least this many tokens may be split across windows; shorter ones move whole.
    public var splittableGroupLength = 8

    public static let sd1 = TokenWindowLayout()

    public init() {}

    /// The windows holding `groups` in order (each group: its items with their weight).
    func pack(_ groups: [[(item: TokenItem, weight: Double)]]) -> [TokenWindow] {
        let endCount = endToken == nil ? 0 : 1
        let freshCount = startToken == nil ? 0 : 1
        precondition(length - freshCount - endCount > 0, "window layout leaves no room for content")
        var windows: [TokenWindow] = []
        var window = opened()
        for (index, group) in groups.enumerated() {
            var rest = group[...]
            let splittable = group.count >= splittableGroupLength
            while !rest.isEmpty {
                guard rest.count + window.items.count > length - endCount else {
                    for entry in rest { window.append(entry.item, weight: entry.weight, word: index + 1) }
                    rest = []
                    break
                }
                let room = max(0, length - window.items.count - endCount)
                // A short group that cannot fit even in a fresh window would make ComfyUI loop
                // forever; it is split instead (only possible with a layout other than SD1's).
                if splittable || window.items.count == freshCount {
                    for entry in rest.prefix(room) { window.append(entry.item, weight: entry.weight, word: index + 1) }
                    rest = rest.dropFirst(room)
                    close(&window, padding: 0)
                } else {
                    close(&window, padding: room)
                }
                windows.append(window)
                window = opened()
            }
        }
        close(&window, padding: 0)
        pad(&window, count: length - window.items.count)
        windows.append(window)
        return windows
    }

    private func opened() -> TokenWindow {
        var window = TokenWindow(items: [], weights: [], wordIDs: [])
        window.items.reserveCapacity(length)
        if let startToken { window.append(.token(startToken), weight: 1, word: 0) }
        return window
    }

    private func close(_ window: inout TokenWindow, padding: Int) {
        if let endToken { window.append(.token(endToken), weight: 1, word: 0) }
        pad(&window, count: padding)
    }

    private func pad(_ window: inout TokenWindow, count: Int) {
        for _ in 0..<max(0, count) { window.append(.token(padToken), weight: 1, word: 0) }
    }
}
