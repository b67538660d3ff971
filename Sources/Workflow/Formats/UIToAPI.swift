import Foundation

/// UI workflow -> API prompt, as frontend 1.35.9 `graphToPrompt` (src/utils/executionUtil.ts)
/// builds the `output` it posts: PrimitiveNodes push their values, the graph is flattened, and
/// every node that is not virtual, muted (mode 2) or bypassed (mode 4) becomes
/// `{inputs, class_type, _meta: {title}}` with its widget values, then its resolved links;
/// links to nodes that were left out are deleted last.
public enum UIToAPI {
    public struct Options {
        /// `Math.random()` for `{a|b}` choices in dynamic prompts: a number in [0, 1).
        public var random: DynamicPrompt.Random
        /// The clock for `%date:...%` in save nodes' `filename_prefix`.
        public var now: () -> Date

        public init(random: @escaping DynamicPrompt.Random = { Double.random(in: 0..<1) },
                    now: @escaping () -> Date = Date.init) {
            self.random = random
            self.now = now
        }
    }

    public static func convert(_ workflow: JSONObject, catalogue: Catalogue = .comfyUI,
                               options: Options = Options()) throws -> JSONObject {
        try convert(UIWorkflow(workflow), catalogue: catalogue, options: options)
    }

    public static func convert(_ workflow: UIWorkflow, catalogue: Catalogue,
                               options: Options = Options()) throws -> JSONObject {
        var builder = RuntimeGraphBuilder(workflow: workflow, catalogue: catalogue)
        let (root, subgraphs) = try builder.build()
        let flat = ExecutableGraph(root: root, subgraphs: subgraphs)
        let serializer = WidgetSerializer(root: root, subgraphs: subgraphs, options: options)
        applyPrimitives(flat, serializer: serializer)

        var output: [(key: String, value: JSONValue)] = []
        for dto in flat.nodes {
            let node = dto.node
            if node.isVirtual || node.mode == RuntimeNode.muted || node.mode == RuntimeNode.bypassed { continue }
            var inputs = JSONObject()
            for widget in node.widgets where !widget.name.isEmpty && widget.sentToAPI {
                inputs[widget.name] = wrapped(serializer.value(of: widget))
            }
            for (slot, input) in node.inputs.enumerated() {
                var visited = Set<String>()
                let resolved: ResolvedInput?
                do { resolved = try flat.resolveInput(dto, slot: slot, visited: &visited) } catch WorkflowLoadError.circularLink {
                    // Reported for the input being converted, not where the loop closed.
                    throw WorkflowLoadError.circularLink(nodeID: dto.id, input: input.name)
                } catch WorkflowLoadError.linkChainTooLong {
                    throw WorkflowLoadError.linkChainTooLong(nodeID: dto.id)
                }
                switch resolved {
                case nil: continue
                case .value(let v)?: inputs[input.name] = wrapped(v)
                case let .link(origin, originSlot)?: inputs[input.name] = [.string(origin), .int(Int64(originSlot))]
                }
            }
            let body: JSONObject = JSONObject([("inputs", .object(JavaScript.ordered(inputs))),
                                               ("class_type", .string(node.type)),
                                               ("_meta", ["title": .string(node.title)])])
            if let k = output.firstIndex(where: { $0.key == dto.id }) { output[k].value = .object(body) }
            else { output.append((dto.id, .object(body))) }
        }
        return JavaScript.ordered(removingDanglingLinks(JSONObject(output)))
    }

    /// Step 1 of `graphToPrompt`: every virtual node's `applyToGraph`, inner nodes included.
    private static func applyPrimitives(_ flat: ExecutableGraph, serializer: WidgetSerializer) {
        for dto in flat.nodes {
            if case .virtual(.primitive) = dto.node.kind {
                PrimitiveNodes.apply(dto.node, in: dto.graph, serializer: serializer)
            }
        }
    }

    /// Arrays are links in the API format, so array values travel as `{"__value__": [...]}`.
    private static func wrapped(_ value: JSONValue?) -> JSONValue? {
        if case .array? = value, let value { return ["__value__": value] }
        return value
    }

    /// The last pass: any `[id, slot]` whose node is not in the prompt (muted, or a type the
    /// frontend could not place) is deleted.
    private static func removingDanglingLinks(_ prompt: JSONObject) -> JSONObject {
        var result = prompt
        for (id, node) in prompt {
            guard case .object(var body) = node, case .object(var inputs)? = body["inputs"] else { continue }
            for (name, value) in inputs {
                if case .array(let a) = value, a.count == 2, let source = a[0].stringValue ?? a[0].intValue.map(String.init),
                   prompt[source] == nil {
                    inputs[name] = nil
                }
            }
            body["inputs"] = .object(inputs)
            result[id] = .object(body)
        }
        return result
    }
}

extension JavaScript {
    /// A JavaScript object's key order: integer-like keys ascending, then the others in
    /// insertion order.
    static func ordered(_ object: JSONObject) -> JSONObject {
        let indexed = object.entries.filter { isArrayIndex($0.key) }
            .sorted { (UInt32($0.key) ?? 0) < (UInt32($1.key) ?? 0) }
        return JSONObject(indexed + object.entries.filter { !isArrayIndex($0.key) })
    }

    /// Canonical array indices: "0", or digits without a leading zero, below 2^32 - 1.
    static func isArrayIndex(_ key: String) -> Bool {
        guard !key.isEmpty, key.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        if key.count > 1, key.hasPrefix("0") { return false }
        guard let v = UInt64(key) else { return false }
        return v < 4_294_967_295
    }
}
