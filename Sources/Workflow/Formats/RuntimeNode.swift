/// The frontend's in-memory graph after `loadGraphData`, reduced to what `graphToPrompt` reads:
/// each node's live input slots, its widgets with their values, and its outputs. Matches
/// frontend 1.35.9 `LGraphNode` / `SubgraphNode` as configured from a saved file.

/// One widget. Two different "serialize" flags exist in the frontend and both matter:
/// `widget.serialize === false` (no position in `widgets_values`) and
/// `widget.options.serialize === false` (kept out of the API prompt, e.g. control_after_generate).
final class RuntimeWidget {
    let name: String
    /// `nil` is JavaScript `undefined`: the key is left out of the prompt.
    var value: JSONValue?
    let ownsSlot: Bool
    let sentToAPI: Bool
    /// STRING widgets of inputs with `dynamicPrompts: true` (`Comfy.DynamicPrompts`).
    let dynamicPrompts: Bool
    /// `filename_prefix` of the save nodes (`Comfy.SaveImageExtraOutput`).
    let textReplacements: Bool

    init(_ name: String, value: JSONValue?, ownsSlot: Bool = true, sentToAPI: Bool = true,
         dynamicPrompts: Bool = false, textReplacements: Bool = false) {
        self.name = name
        self.value = value
        self.ownsSlot = ownsSlot
        self.sentToAPI = sentToAPI
        self.dynamicPrompts = dynamicPrompts
        self.textReplacements = textReplacements
    }

    /// A promoted copy on a subgraph instance (`SubgraphNode.#setWidget`): renamed after the
    /// subgraph input, same flags, the inner widget's value until the instance's own values land.
    func promoted(as name: String) -> RuntimeWidget {
        RuntimeWidget(name, value: value, ownsSlot: ownsSlot, sentToAPI: sentToAPI,
                      dynamicPrompts: dynamicPrompts, textReplacements: textReplacements)
    }
}

/// A live input slot: its link and, for widget inputs, the widget's name.
struct RuntimeInput {
    var name: String
    var type: String
    var link: Int?
    var widgetName: String?
}

enum VirtualNodeKind: String {
    case reroute = "Reroute"
    case primitive = "PrimitiveNode"
    case note = "Note"
    case markdownNote = "MarkdownNote"
}

final class RuntimeNode {
    enum Kind {
        case comfy(NodeSchema)
        case virtual(VirtualNodeKind)
        case subgraphInstance(UISubgraph)
        /// Not in the catalogue (custom node packs, removed nodes, legacy group nodes).
        case unknown
    }

    let id: String
    let type: String
    let mode: Int
    let title: String
    let order: Int
    let kind: Kind
    var inputs: [RuntimeInput]
    var outputs: [UIOutputSlot]
    var widgets: [RuntimeWidget]
    /// The saved node, for the few steps that read it again after configuring (PrimitiveNode).
    let saved: UINode

    init(id: String, type: String, mode: Int, title: String, order: Int, kind: Kind,
         inputs: [RuntimeInput], outputs: [UIOutputSlot], widgets: [RuntimeWidget], saved: UINode) {
        self.id = id
        self.type = type
        self.mode = mode
        self.title = title
        self.order = order
        self.kind = kind
        self.inputs = inputs
        self.outputs = outputs
        self.widgets = widgets
        self.saved = saved
    }

    static let muted = 2
    static let bypassed = 4

    var isVirtual: Bool {
        switch kind {
        case .virtual, .subgraphInstance: return true
        case .comfy, .unknown: return false
        }
    }

    var subgraph: UISubgraph? {
        if case .subgraphInstance(let s) = kind { return s }
        return nil
    }

    func widget(named name: String) -> RuntimeWidget? { widgets.first { $0.name == name } }

    /// `LGraphNode.getWidgetFromSlot`.
    func widget(for input: RuntimeInput) -> RuntimeWidget? {
        guard let name = input.widgetName else { return nil }
        return widget(named: name)
    }

    /// The slot holding `link` (the frontend renumbers `target_slot` on load to this position).
    func inputIndex(link: Int) -> Int? { inputs.firstIndex { $0.link == link } }
}

/// One graph's live nodes and links (the root, or one subgraph definition shared by every
/// instance of it, as in the frontend).
final class RuntimeGraph {
    let nodes: [RuntimeNode]
    let byID: [String: RuntimeNode]
    let links: [Int: UILink]
    let definition: UISubgraph?

    init(nodes: [RuntimeNode], links: [Int: UILink], definition: UISubgraph?) {
        self.nodes = nodes
        var byID: [String: RuntimeNode] = [:]
        for node in nodes where byID[node.id] == nil { byID[node.id] = node }
        self.byID = byID
        self.links = links
        self.definition = definition
    }
}
