import Workflow

/// A prompt as the executor sees it: each node's class, inputs and declaration, and its links
/// through declared inputs.
struct PromptNodes {
    struct Node {
        let classType: String
        let inputs: JSONObject
        let definition: (any NodeDefinition.Type)?
    }

    struct Link { let source: String; let slot: Int }

    let order: [String]
    let nodes: [String: Node]

    init(prompt: JSONObject, registry: NodeRegistry) {
        var nodes: [String: Node] = [:]
        for (id, value) in prompt {
            let type = value["class_type"]?.stringValue ?? ""
            nodes[id] = Node(classType: type, inputs: value["inputs"]?.objectValue ?? JSONObject(), definition: registry[type])
        }
        self.order = prompt.keys
        self.nodes = nodes
    }

    func isOutput(_ id: String) -> Bool { nodes[id]?.definition?.declaration.schema.isOutputNode ?? false }

    /// The link on a declared, non-hidden input, if the value is `[id, slot]`.
    func declaredLink(_ id: String, _ input: String) -> Link? {
        guard let node = nodes[id], let d = node.definition,
              let spec = d.declaration.schema.input(named: input), spec.section != .hidden,
              case .array(let a)? = node.inputs[input], a.count == 2,
              case .string(let source) = a[0], let slot = a[1].intValue, a[1].isNumber else { return nil }
        return Link(source: source, slot: slot)
    }

    /// Links of a node in its prompt input order.
    func links(of id: String) -> [(input: String, link: Link)] {
        guard let node = nodes[id] else { return [] }
        return node.inputs.keys.compactMap { name in declaredLink(id, name).map { (name, $0) } }
    }

    /// Nodes with every source before its consumers (Kahn); nodes on or below a cycle, or below a
    /// link to a missing node, are left out.
    func dependencyOrder() -> [String] {
        var waiting: [String: Int] = [:]
        var consumers: [String: [String]] = [:]
        for id in order {
            let sources = links(of: id).map(\.link.source)
            waiting[id] = sources.count
            for s in sources { consumers[s, default: []].append(id) }
        }
        var ready = order.filter { waiting[$0] == 0 }
        var out: [String] = []
        var i = 0
        while i < ready.count {
            let id = ready[i]
            i += 1
            out.append(id)
            for c in consumers[id] ?? [] {
                waiting[c, default: 0] -= 1
                if waiting[c] == 0 { ready.append(c) }
            }
        }
        return out
    }
}
