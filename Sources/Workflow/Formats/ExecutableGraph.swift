/// The flattened graph `graphToPrompt` walks: one entry per node with subgraph instances
/// expanded into their inner nodes (ids `instance:inner`, nested `a:b:c`), and the link
/// resolution through reroutes, bypassed nodes and subgraph borders. Matches frontend 1.35.9
/// `ExecutableNodeDTO` (`resolveInput`, `resolveOutput`, `#getBypassSlotIndex`,
/// `#resolveSubgraphOutput`) and `SubgraphNode.getInnerNodes`.
final class ExecutableNode {
    let node: RuntimeNode
    let graph: RuntimeGraph
    /// Ids of the subgraph instances from the root down to the one containing this node.
    let path: [String]
    /// The instance containing this node (nil at the root).
    let instance: RuntimeNode?
    let id: String

    init(_ node: RuntimeNode, graph: RuntimeGraph, path: [String], instance: RuntimeNode?) {
        self.node = node
        self.graph = graph
        self.path = path
        self.instance = instance
        self.id = (path + [node.id]).joined(separator: ":")
    }
}

/// What an input resolves to: a link to a real node's output, or a promoted widget's value.
enum ResolvedInput {
    case link(nodeID: String, slot: Int)
    /// `nil` is JavaScript `undefined`.
    case value(JSONValue?)
}

struct ExecutableGraph {
    /// In insertion order, as the frontend's `Map`.
    private(set) var nodes: [ExecutableNode] = []
    private var byID: [String: ExecutableNode] = [:]
    private let subgraphs: [String: RuntimeGraph]

    init(root: RuntimeGraph, subgraphs: [String: RuntimeGraph]) {
        self.subgraphs = subgraphs
        // litegraph's execution order; the saved `order` is the order it computed at save time.
        let ordered = root.nodes.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }
        for (_, node) in ordered {
            let dto = ExecutableNode(node, graph: root, path: [], instance: nil)
            add(dto)
            expand(dto, visited: [])
        }
    }

    private mutating func add(_ dto: ExecutableNode) {
        if byID[dto.id] == nil { nodes.append(dto) }
        byID[dto.id] = dto
    }

    private mutating func expand(_ dto: ExecutableNode, visited: Set<String>) {
        guard let def = dto.node.subgraph, let inner = subgraphs[def.id], !visited.contains(def.id) else { return }
        let path = dto.path + [dto.node.id]
        for child in inner.nodes {
            let childDTO = ExecutableNode(child, graph: inner, path: path, instance: dto.node)
            add(childDTO)
            expand(childDTO, visited: visited.union([def.id]))
        }
    }

    subscript(id: String) -> ExecutableNode? { byID[id] }

    /// Reroutes, bypasses and subgraph borders followed for one input before giving up.
    static let maxChain = 2000

    // MARK: Resolution

    func resolveInput(_ dto: ExecutableNode, slot: Int, visited: inout Set<String>,
                      type: String? = nil) throws -> ResolvedInput? {
        guard visited.count < Self.maxChain else { throw WorkflowLoadError.linkChainTooLong(nodeID: dto.id) }
        let key = "\(dto.instance?.subgraph?.id ?? "undefined"):\(dto.node.id)[I]\(slot)"
        guard visited.insert(key).inserted else {
            throw WorkflowLoadError.circularLink(nodeID: dto.id, input: slot < dto.node.inputs.count ? dto.node.inputs[slot].name : "\(slot)")
        }
        guard slot >= 0, slot < dto.node.inputs.count else { return nil }
        let input = dto.node.inputs[slot]
        // A link id missing from the table: the frontend throws; files fixed on load drop it.
        guard let linkID = input.link, let link = dto.graph.links[linkID] else { return nil }

        if let instance = dto.instance, link.originID == UIWorkflow.subgraphInputNodeID {
            guard link.originSlot >= 0, link.originSlot < instance.inputs.count else { return nil }
            let outer = instance.inputs[link.originSlot]
            guard let outerID = outer.link else {
                guard let widget = instance.widget(for: outer) else { return nil }
                return .value(widget.value)
            }
            guard let instanceDTO = byID[dto.path.joined(separator: ":")],
                  let outerLink = instanceDTO.graph.links[outerID] else { return nil }
            let outerSlot = instanceDTO.node.inputIndex(link: outerLink.id) ?? outerLink.targetSlot
            return try resolveInput(instanceDTO, slot: outerSlot, visited: &visited)
        }
        guard let origin = dto.graph.byID[link.originID],
              let originDTO = byID[(dto.path + [origin.id]).joined(separator: ":")] else { return nil }
        return try resolveOutput(originDTO, slot: link.originSlot, type: type ?? input.type, visited: &visited)
    }

    func resolveOutput(_ dto: ExecutableNode, slot: Int, type: String,
                       visited: inout Set<String>) throws -> ResolvedInput? {
        let key = "\(dto.instance?.subgraph?.id ?? "undefined"):\(dto.node.id)[O]\(slot)"
        guard visited.insert(key).inserted else {
            throw WorkflowLoadError.circularLink(nodeID: dto.id, input: "output \(slot)")
        }
        if dto.node.mode == RuntimeNode.bypassed {
            guard let index = bypassSlot(dto.node, output: slot, type: type) else { return nil }
            return try resolveInput(dto, slot: index, visited: &visited)
        }
        if let def = dto.node.subgraph {
            return try resolveSubgraphOutput(dto, def: def, slot: slot, type: type, visited: &visited)
        }
        if dto.node.isVirtual {
            // Reroute: output k passes through input k. PrimitiveNode and notes: nothing.
            guard slot >= 0, slot < dto.node.inputs.count, let linkID = dto.node.inputs[slot].link,
                  let link = dto.graph.links[linkID], let target = dto.graph.byID[link.targetID],
                  let targetDTO = byID[(dto.path + [target.id]).joined(separator: ":")] else { return nil }
            let targetSlot = target.inputIndex(link: link.id) ?? link.targetSlot
            return try resolveInput(targetDTO, slot: targetSlot, visited: &visited, type: type)
        }
        return .link(nodeID: dto.id, slot: slot)
    }

    private func resolveSubgraphOutput(_ dto: ExecutableNode, def: UISubgraph, slot: Int, type: String,
                                       visited: inout Set<String>) throws -> ResolvedInput? {
        guard slot >= 0, slot < def.outputs.count, let inner = subgraphs[def.id],
              let link = def.outputs[slot].linkIds.lazy.compactMap({ inner.links[$0] }).first,
              let origin = inner.byID[link.originID],
              let originDTO = byID[(dto.path + [dto.node.id, origin.id]).joined(separator: ":")] else { return nil }
        return try resolveOutput(originDTO, slot: link.originSlot, type: type, visited: &visited)
    }

    /// `#getBypassSlotIndex`: the input at the output's own index if its type fits, else the
    /// first input of exactly the target type, else the first compatible one.
    func bypassSlot(_ node: RuntimeNode, output slot: Int, type: String) -> Int? {
        let inputs = node.inputs
        guard slot >= 0, slot < node.outputs.count else { return nil }
        let outputType = node.outputs[slot].type
        if type == "*" || type.isEmpty {
            let index = inputs.count > slot ? slot : 0
            return index < inputs.count ? index : nil
        }
        if slot < inputs.count, Self.connectable(inputs[slot].type, outputType),
           Self.connectable(inputs[slot].type, type) {
            return slot
        }
        if let exact = inputs.firstIndex(where: { $0.type == type }) { return exact }
        return inputs.firstIndex { Self.connectable($0.type, outputType) && Self.connectable($0.type, type) }
    }

    /// `LiteGraph.isValidConnection`: either side any (`*` or empty), equal ignoring case, or
    /// overlapping comma-separated lists.
    static func connectable(_ a: String, _ b: String) -> Bool {
        if a.isEmpty || a == "*" || b.isEmpty || b == "*" || a == b { return true }
        let x = a.lowercased(), y = b.lowercased()
        if !x.contains(","), !y.contains(",") { return x == y }
        let xs = x.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let ys = y.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return xs.contains { p in ys.contains { q in connectable(p, q) } }
    }
}
