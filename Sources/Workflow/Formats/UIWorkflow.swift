/// The UI ("workflow") export of ComfyUI frontend 1.35.9 as a typed model: nodes, links and
/// subgraph definitions, with everything layout-only left out. Parsing checks the shape of every
/// node and link and names the node when something is wrong.
public struct UIWorkflow: Sendable {
    public var root: UIGraph
    /// Every subgraph definition, nested ones included, by id (the instance node's `type`).
    public var subgraphs: [String: UISubgraph]
}

/// One graph: the root, or the inside of a subgraph definition.
public struct UIGraph: Sendable {
    /// In file order.
    public var nodes: [UINode]
    public var links: [Int: UILink]
}

/// `[id, origin, origin_slot, target, target_slot, type]` (version 0.4) or the same as an object (version 1).
public struct UILink: Sendable, Equatable {
    public var id: Int
    /// Node ids as JavaScript prints them; `-10` is a subgraph's input node, `-20` its output node.
    public var originID: String
    public var originSlot: Int
    public var targetID: String
    public var targetSlot: Int
}

public struct UINode: Sendable {
    public var id: String
    public var type: String
    /// 0 normal, 2 muted ("never"), 4 bypassed; other values behave like 0.
    public var mode: Int
    public var title: String?
    /// litegraph's execution order at save time (`order`); emission order only.
    public var order: Int
    public var inputs: [UIInputSlot]
    public var outputs: [UIOutputSlot]
    /// Usually an array; some custom nodes store an object.
    public var widgetsValues: JSONValue?
    public var properties: JSONObject
}

public struct UIInputSlot: Sendable, Equatable {
    public var name: String
    /// `""` when the file gives none (litegraph treats it as "any").
    public var type: String
    public var link: Int?
    /// `widget.name` when the slot belongs to a widget.
    public var widgetName: String?
    public var label: String?
}

public struct UIOutputSlot: Sendable, Equatable {
    public var name: String
    public var type: String
    /// Link ids in the order the node lists them.
    public var links: [Int] = []
}

/// `definitions.subgraphs[i]`: a graph with numbered inputs (node -10) and outputs (node -20).
public struct UISubgraph: Sendable {
    public struct Slot: Sendable, Equatable {
        public var name: String
        public var type: String
        public var linkIds: [Int]
    }
    public var id: String
    public var name: String
    public var graph: UIGraph
    public var inputs: [Slot]
    public var outputs: [Slot]
}

extension UIWorkflow {
    /// The parent-graph id of a subgraph's input pseudo-node and output pseudo-node.
    static let subgraphInputNodeID = "-10"
    static let subgraphOutputNodeID = "-20"

    public init(_ top: JSONObject) throws {
        root = try UIGraph(nodes: top["nodes"], links: top["links"], context: nil)
        subgraphs = [:]
        try collectSubgraphs(from: top)
    }

    private mutating func collectSubgraphs(from container: JSONObject) throws {
        guard let definitions = container["definitions"] else { return }
        guard let list = definitions["subgraphs"] else { return }
        guard case .array(let items) = list else {
            throw WorkflowLoadError.badSubgraph(id: nil, reason: "'definitions.subgraphs' is not an array")
        }
        for (index, item) in items.enumerated() {
            guard case .object(let def) = item else {
                throw WorkflowLoadError.badSubgraph(id: nil, reason: "definition \(index) is not an object")
            }
            guard let id = def["id"]?.stringValue else {
                throw WorkflowLoadError.badSubgraph(id: nil, reason: "definition \(index) has no string 'id'")
            }
            let graph = try UIGraph(nodes: def["nodes"], links: def["links"], context: id)
            subgraphs[id] = UISubgraph(id: id, name: def["name"]?.stringValue ?? id, graph: graph,
                                       inputs: try Self.slots(def["inputs"], "inputs", subgraph: id),
                                       outputs: try Self.slots(def["outputs"], "outputs", subgraph: id))
            try collectSubgraphs(from: def)
        }
    }

    private static func slots(_ value: JSONValue?, _ field: String, subgraph: String) throws -> [UISubgraph.Slot] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            throw WorkflowLoadError.badSubgraph(id: subgraph, reason: "'\(field)' is not an array")
        }
        return try items.enumerated().map { index, item in
            guard case .object(let o) = item, let name = o["name"]?.stringValue else {
                throw WorkflowLoadError.badSubgraph(id: subgraph, reason: "\(field) entry \(index) has no string 'name'")
            }
            let ids = (o["linkIds"]?.arrayValue ?? []).compactMap(\.intValue)
            return UISubgraph.Slot(name: name, type: slotType(o["type"]), linkIds: ids)
        }
    }

    /// litegraph slot types are strings; anything else (missing, `-1` events) compares as text.
    static func slotType(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case nil, .null?: return ""
        case let v?: return v.serialized(.compact)
        }
    }

    /// `String(id)` in JavaScript for the ids the schema allows (integers and strings).
    static func nodeID(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: return s
        case let v? where v.intValue != nil: return String(v.intValue ?? 0)
        default: return nil
        }
    }
}

extension UIGraph {
    init(nodes: JSONValue?, links: JSONValue?, context subgraph: String?) throws {
        let place = subgraph.map { " in subgraph \($0)" } ?? ""
        guard case .array(let nodeItems)? = nodes else {
            throw WorkflowLoadError.badUIGraph("'nodes'\(place) is not an array")
        }
        var parsed: [UINode] = []
        for (index, item) in nodeItems.enumerated() {
            parsed.append(try UINode(item, index: index, place: place))
        }
        self.nodes = parsed
        self.links = [:]
        switch links {
        case nil, .null?: break
        case .array(let linkItems)?:
            for (index, item) in linkItems.enumerated() {
                let link = try UILink(item, index: index, place: place)
                self.links[link.id] = link
            }
        default:
            throw WorkflowLoadError.badUIGraph("'links'\(place) is not an array")
        }
    }
}

extension UILink {
    init(_ item: JSONValue, index: Int, place: String) throws {
        func bad(_ why: String) -> WorkflowLoadError { .badLink(index: index, place: place, reason: why) }
        switch item {
        case .array(let a):
            guard a.count >= 5 else { throw bad("has \(a.count) entries, expected [id, origin, origin_slot, target, target_slot, type]") }
            guard let id = a[0].intValue else { throw bad("has an id that is not an integer") }
            guard let o = UIWorkflow.nodeID(a[1]), let t = UIWorkflow.nodeID(a[3]) else { throw bad("(link \(id)) names no origin or target node") }
            guard let os = a[2].intValue, let ts = a[4].intValue else { throw bad("(link \(id)) has a slot that is not an integer") }
            self.init(id: id, originID: o, originSlot: os, targetID: t, targetSlot: ts)
        case .object(let d):
            guard let id = d["id"]?.intValue else { throw bad("has an 'id' that is not an integer") }
            guard let o = UIWorkflow.nodeID(d["origin_id"]), let t = UIWorkflow.nodeID(d["target_id"]) else {
                throw bad("(link \(id)) has no 'origin_id' or 'target_id'")
            }
            guard let os = d["origin_slot"]?.intValue, let ts = d["target_slot"]?.intValue else {
                throw bad("(link \(id)) has an 'origin_slot' or 'target_slot' that is not an integer")
            }
            self.init(id: id, originID: o, originSlot: os, targetID: t, targetSlot: ts)
        default:
            throw bad("is neither an array nor an object")
        }
    }
}

extension UINode {
    init(_ item: JSONValue, index: Int, place: String) throws {
        guard case .object(let o) = item else {
            throw WorkflowLoadError.badNode(id: nil, index: index, place: place, reason: "is not a JSON object")
        }
        guard let id = UIWorkflow.nodeID(o["id"]) else {
            throw WorkflowLoadError.badNode(id: nil, index: index, place: place, reason: "has no integer or string 'id'")
        }
        func bad(_ why: String) -> WorkflowLoadError { .badNode(id: id, index: index, place: place, reason: why) }
        guard let type = o["type"]?.stringValue else { throw bad("has no string 'type'") }
        self.id = id
        self.type = type
        switch o["mode"] {
        case nil, .null?: mode = 0
        case let m? where m.intValue != nil: mode = m.intValue ?? 0
        default: throw bad("has a 'mode' that is not an integer")
        }
        title = o["title"]?.stringValue
        order = o["order"]?.intValue ?? index
        inputs = try Self.list(o["inputs"], "inputs", bad).enumerated().map { k, slot in
            guard let name = slot["name"]?.stringValue else { throw bad("input \(k) has no string 'name'") }
            var link: Int?
            switch slot["link"] {
            case nil, .null?: link = nil
            case let l? where l.intValue != nil: link = l.intValue
            default: throw bad("input '\(name)' has a 'link' that is not an integer")
            }
            return UIInputSlot(name: name, type: UIWorkflow.slotType(slot["type"]), link: link,
                               widgetName: slot["widget"]?["name"]?.stringValue, label: slot["label"]?.stringValue)
        }
        outputs = try Self.list(o["outputs"], "outputs", bad).enumerated().map { k, slot in
            UIOutputSlot(name: slot["name"]?.stringValue ?? "", type: UIWorkflow.slotType(slot["type"]),
                         links: (slot["links"]?.arrayValue ?? []).compactMap(\.intValue))
        }
        switch o["widgets_values"] {
        case nil, .null?: widgetsValues = nil
        case .array?, .object?: widgetsValues = o["widgets_values"]
        default: throw bad("has a 'widgets_values' that is neither an array nor an object")
        }
        properties = o["properties"]?.objectValue ?? JSONObject()
    }

    private static func list(_ value: JSONValue?, _ field: String,
                             _ bad: (String) -> WorkflowLoadError) throws -> [JSONObject] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            return try items.enumerated().map { k, item in
                guard case .object(let slot) = item else { throw bad("\(field) entry \(k) is not an object") }
                return slot
            }
        default: throw bad("has an '\(field)' that is not an array")
        }
    }
}
