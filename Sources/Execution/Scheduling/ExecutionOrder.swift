/// Matches ComfyUI 0.8.0 comfy_execution/graph.py `TopologicalSort.add_node` and
/// `ExecutionList.ux_friendly_pick_node`: the outputs (in prompt order, where ComfyUI iterates a
/// set) and their uncached ancestors are dissolved; among the ready nodes an output goes first,
/// then a node feeding an output, then one two links away, else the first ready in insertion order.
/// For the SD1.5 seed prompt this gives ComfyUI's observed order 10, 4, 11, 7, 6, 3, 8, 9.
struct ExecutionOrder {
    private var pending: [String] = []
    private var isPending = Set<String>()
    private var blockCount: [String: Int] = [:]
    private var blocking: [String: [String]] = [:]      // node -> nodes waiting for it, first-seen order
    private let graph: PromptNodes
    private let isCached: (String) -> Bool

    static func plan(_ graph: PromptNodes, outputs: [String], isCached: @escaping (String) -> Bool) throws -> [String] {
        var o = ExecutionOrder(graph: graph, isCached: isCached)
        for output in outputs where !isCached(output) { try o.add(output) }
        return try o.dissolve()
    }

    private init(graph: PromptNodes, isCached: @escaping (String) -> Bool) {
        self.graph = graph
        self.isCached = isCached
    }

    private mutating func add(_ start: String) throws {
        var stack = [start]
        var links: [(from: String, to: String)] = []
        while let id = stack.popLast() {
            if isPending.contains(id) { continue }
            guard graph.nodes[id] != nil else { throw ScheduleError.missingNode(id) }
            pending.append(id)
            isPending.insert(id)
            blockCount[id] = 0
            blocking[id] = []
            for (_, link) in graph.links(of: id) {
                if !isCached(link.source) { stack.append(link.source) }
                links.append((link.source, id))
            }
        }
        for (from, to) in links where !isCached(from) {
            if blocking[from]?.contains(to) == false {
                blocking[from, default: []].append(to)
                blockCount[to, default: 0] += 1
            }
        }
    }

    private mutating func dissolve() throws -> [String] {
        var out: [String] = []
        while !pending.isEmpty {
            let ready = pending.filter { blockCount[$0] == 0 }
            guard let pick = pick(ready) else { throw ScheduleError.dependencyCycle(pending) }
            out.append(pick)
            pending.removeAll { $0 == pick }
            isPending.remove(pick)
            for blocked in blocking[pick] ?? [] { blockCount[blocked, default: 0] -= 1 }
            blocking[pick] = nil
        }
        return out
    }

    private func pick(_ ready: [String]) -> String? {
        if let o = ready.first(where: graph.isOutput) { return o }
        if let n = ready.first(where: { (blocking[$0] ?? []).contains(where: graph.isOutput) }) { return n }
        if let n = ready.first(where: { id in
            (blocking[id] ?? []).contains { (blocking[$0] ?? []).contains(where: graph.isOutput) }
        }) { return n }
        return ready.first
    }
}
