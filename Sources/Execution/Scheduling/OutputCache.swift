/// Node outputs by input signature. Matches ComfyUI 0.8.0's classic cache (execution.py `CacheSet`,
/// caching.py `BasicCache.clean_unused`): entries the current prompt does not use are dropped when
/// it starts; entries are stored right after each node runs, so a failed run keeps its progress.
struct OutputCache {
    private var entries: [Int: NodeOutput] = [:]

    subscript(signature: Int) -> NodeOutput? {
        get { entries[signature] }
        set { entries[signature] = newValue }
    }

    mutating func retainOnly(_ signatures: Set<Int>) {
        entries = entries.filter { signatures.contains($0.key) }
    }

    var count: Int { entries.count }
}
