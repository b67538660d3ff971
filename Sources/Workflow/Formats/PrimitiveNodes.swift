/// The frontend-only PrimitiveNode (frontend 1.35.9 `extensions/core/widgetInputs.ts`): it has no
/// inputs, one output wired to widget inputs, and before every conversion it writes its value
/// into each widget it feeds (`applyToGraph`). Its links then resolve to nothing, so the targets
/// keep that value.
enum PrimitiveNodes {
    /// `onAfterGraphConfigured`: when the output is linked, the node gets a widget shaped like
    /// its first target's widget, holding that widget's value until `widgets_values[0]` lands.
    static func createWidget(_ node: RuntimeNode, in graph: RuntimeGraph) {
        let links = outputLinks(node, in: graph)
        guard let first = links.first, node.widgets.isEmpty,
              let target = graph.byID[first.targetID], let index = target.inputIndex(link: first.id),
              let targetWidget = target.widget(for: target.inputs[index]) else { return }
        let widget = RuntimeWidget("value", value: targetWidget.value)
        node.widgets = [widget]
        if case .array(let values)? = node.saved.widgetsValues, let v = values.first { widget.value = v }
    }

    /// `applyToGraph`. With the property `Run widget replace on values`, `%node.widget%` and
    /// `%date:...%` are replaced first (searching the primitive's own graph).
    static func apply(_ node: RuntimeNode, in graph: RuntimeGraph, serializer: WidgetSerializer) {
        guard let source = node.widgets.first else { return }
        var value = source.value   // null and undefined are copied too
        if let v = value, JavaScript.isTruthy(v), case .string(let text) = v,
           node.saved.properties["Run widget replace on values"].map(JavaScript.isTruthy) == true {
            value = .string(serializer.replacingText(text, in: graph))
        }
        for link in outputLinks(node, in: graph) {
            guard let target = graph.byID[link.targetID], let index = target.inputIndex(link: link.id),
                  let widget = target.widget(for: target.inputs[index]) else { continue }
            widget.value = value
        }
    }

    /// `outputs[0].links` as saved, through the graph's link table.
    private static func outputLinks(_ node: RuntimeNode, in graph: RuntimeGraph) -> [UILink] {
        guard let output = node.outputs.first else { return [] }
        return output.links.compactMap { graph.links[$0] }
    }
}
