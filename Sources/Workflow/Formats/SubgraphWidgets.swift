/// `properties.proxyWidgets` on subgraph instances (frontend 1.35.9
/// `core/graph/subgraph/proxyWidget.ts`, the `onConfigure` hook of `SubgraphNode`).
enum SubgraphWidgets {
    /// Entries `["-1", name]` name a promoted widget; `[innerId, name]` only show an inner widget
    /// on the instance (its value stays in the inner node, and it owns no value slot). After
    /// the normal configure, `widgets_values[k]` is given again to the promoted widget named by
    /// entry k, unless the value is null.
    static func applyProxyWidgets(_ node: RuntimeNode) {
        var property = node.saved.properties["proxyWidgets"]
        if case .string(let text)? = property { property = try? JSONParser.parse(text) }   // parseProxyWidgets
        guard let entries = property?.arrayValue else { return }
        let parsed: [(String, String)?] = entries.map { entry in
            guard let pair = entry.arrayValue, pair.count >= 2, let widget = pair[1].stringValue else { return nil }
            let nodeID = pair[0].stringValue ?? UIWorkflow.nodeID(pair[0]) ?? ""
            return (nodeID, widget)
        }
        // The widget list is reordered: widgets not named by any entry, then the promoted ones
        // in entry order (proxies of inner widgets never reach the prompt, so they are left out).
        let named = Set(parsed.compactMap { $0?.1 })
        var reordered = node.widgets.filter { !named.contains($0.name) }
        for case let (nodeID, name)? in parsed where nodeID == "-1" {
            if let w = node.widgets.first(where: { $0.name == name }) { reordered.append(w) }
        }
        node.widgets = reordered
        guard case .array(let values)? = node.saved.widgetsValues else { return }
        for (k, value) in values.enumerated() where k < parsed.count {
            guard let (nodeID, name) = parsed[k], nodeID == "-1", value != .null,
                  let w = node.widgets.first(where: { $0.name == name }) else { continue }
            w.value = value
        }
    }
}
