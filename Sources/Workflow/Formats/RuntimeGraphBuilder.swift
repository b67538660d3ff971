/// Builds the frontend's live graph from a saved UI workflow, step by step as frontend 1.35.9's
/// `loadGraphData` does: subgraph definitions first (instances copy widgets from their inner
/// nodes), every node configured from its saved data, then PrimitiveNode widgets and the
/// load-time widget patches.
struct RuntimeGraphBuilder {
    let workflow: UIWorkflow
    let catalogue: Catalogue
    private var definitions: [String: RuntimeGraph] = [:]
    private var building: Set<String> = []
    private var nestingDepth: [String: Int] = [:]

    /// How deep subgraph instances may nest (a definition holding an instance of another, ...).
    /// Building recurses once per level; 20,000 levels overflowed the stack. Saved workflows
    /// nest a handful of levels; the bound sits well below any stack limit, as the JSON (512)
    /// and validation (800) bounds do.
    static let maximumNesting = 100

    init(workflow: UIWorkflow, catalogue: Catalogue) {
        self.workflow = workflow
        self.catalogue = catalogue
    }

    /// The root graph and every subgraph definition's graph, by subgraph id.
    mutating func build() throws -> (root: RuntimeGraph, subgraphs: [String: RuntimeGraph]) {
        for id in workflow.subgraphs.keys.sorted() { _ = try definition(id) }
        let root = try graph(workflow.root, definition: nil)
        for g in [root] + definitions.values { finishLoading(g) }
        return (root, definitions)
    }

    private mutating func definition(_ id: String) throws -> RuntimeGraph {
        if let done = definitions[id] { return done }
        guard let def = workflow.subgraphs[id] else {
            throw WorkflowLoadError.badSubgraph(id: id, reason: "no definition with this id")
        }
        guard !building.contains(id) else {
            throw WorkflowLoadError.badSubgraph(id: id, reason: "it contains an instance of itself")
        }
        guard building.count < Self.maximumNesting else { throw tooDeep(id) }
        building.insert(id)
        defer { building.remove(id) }
        let g = try graph(def.graph, definition: def)
        // Definitions built bottom-up never recurse here, but later walks through the instances do.
        let depth = 1 + (def.graph.nodes.compactMap { nestingDepth[$0.type] }.max() ?? 0)
        guard depth <= Self.maximumNesting else { throw tooDeep(id) }
        nestingDepth[id] = depth
        definitions[id] = g
        return g
    }

    private func tooDeep(_ id: String) -> WorkflowLoadError {
        .badSubgraph(id: id, reason: "subgraphs nest more than \(Self.maximumNesting) levels deep (SwiftComfy's limit)")
    }

    private mutating func graph(_ saved: UIGraph, definition: UISubgraph?) throws -> RuntimeGraph {
        var nodes: [RuntimeNode] = []
        for node in saved.nodes { nodes.append(try configure(node)) }
        return RuntimeGraph(nodes: nodes, links: saved.links, definition: definition)
    }

    private mutating func configure(_ saved: UINode) throws -> RuntimeNode {
        let type = FrontendExtensions.renamedTypes[saved.type] ?? saved.type
        if let virtual = VirtualNodeKind(rawValue: type) {
            return RuntimeNode(id: saved.id, type: type, mode: saved.mode, title: nonEmpty(saved.title) ?? type,
                               order: saved.order, kind: .virtual(virtual), inputs: savedInputs(saved),
                               outputs: saved.outputs, widgets: [], saved: saved)
        }
        if let schema = catalogue[type] {
            return comfyNode(saved, schema: schema)
        }
        if workflow.subgraphs[type] != nil {
            return try instance(saved, inner: try definition(type))
        }
        // Unknown type. The frontend emits such a node without class_type and with its values
        // under a made-up "UNKNOWN" input; we keep the type as class_type so that validation
        // reports "unknown node type", and send only its links (values cannot be named).
        return RuntimeNode(id: saved.id, type: type, mode: saved.mode, title: nonEmpty(saved.title) ?? type,
                           order: saved.order, kind: .unknown, inputs: savedInputs(saved),
                           outputs: saved.outputs, widgets: [], saved: saved)
    }

    private func comfyNode(_ saved: UINode, schema: NodeSchema) -> RuntimeNode {
        let widgets = WidgetLayout.widgets(for: schema)
        WidgetLayout.assign(saved.widgetsValues, to: widgets) {
            WidgetLayout.migrate($0, schema: schema, widgets: widgets)
        }
        var outputs = schema.outputs.enumerated().map { k, spec in
            UIOutputSlot(name: spec.name, type: spec.type == "COMFY_MATCHTYPE_V3" ? "*" : spec.type,
                         links: k < saved.outputs.count ? saved.outputs[k].links : [])
        }
        if saved.outputs.count > outputs.count { outputs += saved.outputs[outputs.count...] }
        let title = nonEmpty(saved.title) ?? FrontendExtensions.localeDisplayNames[schema.name]
            ?? nonEmpty(schema.displayName) ?? schema.name
        return RuntimeNode(id: saved.id, type: schema.name, mode: saved.mode, title: title, order: saved.order,
                           kind: .comfy(schema), inputs: WidgetLayout.inputs(for: schema, saved: saved.inputs),
                           outputs: outputs, widgets: widgets, saved: saved)
    }

    private func savedInputs(_ saved: UINode) -> [RuntimeInput] {
        saved.inputs.map { RuntimeInput(name: $0.name, type: $0.type, link: $0.link, widgetName: $0.widgetName) }
    }

    private func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }

    /// `SubgraphNode.configure`: slots from the definition, overwritten position by position
    /// by the saved slots (litegraph's `cloneObject` into the existing array), then one
    /// promoted widget per input wired to an inner widget, then the saved values.
    private func instance(_ saved: UINode, inner: RuntimeGraph) throws -> RuntimeNode {
        guard let def = inner.definition else { throw WorkflowLoadError.badSubgraph(id: saved.type, reason: "missing") }
        var inputs = def.inputs.map { RuntimeInput(name: $0.name, type: $0.type, link: nil, widgetName: nil) }
        for (k, s) in saved.inputs.enumerated() {
            let slot = RuntimeInput(name: s.name, type: s.type, link: s.link, widgetName: s.widgetName)
            if k < inputs.count { inputs[k] = slot } else { inputs.append(slot) }
        }
        var outputs = def.outputs.map { UIOutputSlot(name: $0.name, type: $0.type) }
        for (k, s) in saved.outputs.enumerated() {
            if k < outputs.count { outputs[k] = s } else { outputs.append(s) }
        }
        let node = RuntimeNode(id: saved.id, type: saved.type, mode: saved.mode,
                               title: nonEmpty(saved.title) ?? def.name, order: saved.order,
                               kind: .subgraphInstance(def), inputs: inputs, outputs: outputs,
                               widgets: [], saved: saved)
        promoteWidgets(node, inner: inner)
        WidgetLayout.assign(saved.widgetsValues, to: node.widgets) { $0 }
        SubgraphWidgets.applyProxyWidgets(node)
        return node
    }

    /// `SubgraphNode._internalConfigureAfterSlots` / `#setWidget`.
    private func promoteWidgets(_ node: RuntimeNode, inner: RuntimeGraph) {
        guard let def = inner.definition else { return }
        for k in node.inputs.indices {
            guard let slot = def.inputs.first(where: { $0.name == node.inputs[k].name }) else { continue }
            for linkID in slot.linkIds {
                guard let link = inner.links[linkID], let target = inner.byID[link.targetID],
                      let targetIndex = target.inputIndex(link: linkID),
                      let widget = target.widget(for: target.inputs[targetIndex]) else { continue }
                // Inserted after as many widgets as there are widget inputs so far (counting the
                // saved slots that already say `widget`), which is not always input order.
                let position = min(node.inputs.filter { $0.widgetName != nil }.count, node.widgets.count)
                node.widgets.insert(widget.promoted(as: slot.name), at: position)
                node.inputs[k].widgetName = slot.name
                break
            }
        }
    }

    /// After every node is configured: PrimitiveNode widgets (`onAfterGraphConfigured`) and
    /// the widget patches of `loadGraphData`.
    private func finishLoading(_ g: RuntimeGraph) {
        for node in g.nodes {
            if case .virtual(.primitive) = node.kind { PrimitiveNodes.createWidget(node, in: g) }
            FrontendExtensions.patchAfterLoad(node)
        }
    }
}
