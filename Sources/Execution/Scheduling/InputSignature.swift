import Workflow

/// Matches ComfyUI 0.8.0 comfy_execution/caching.py `CacheKeySetInputSignature`: a node's cache key
/// is its class type, its fingerprint (`IS_CHANGED`), its inputs sorted by name (constants by value,
/// links by the source's key and output slot), so it covers every ancestor. The node id is not part
/// of it, nor `_meta`; `8` and `8.0` are equal. Keys are interned as exact strings (no hashing, so
/// no collisions): a key names its inputs' keys by their interned numbers.
struct SignatureTable {
    private var ids: [String: Int] = [:]
    private var next = 0

    mutating func intern(_ key: String) -> Int {
        if let id = ids[key] { return id }
        next += 1
        ids[key] = next
        return next
    }

    /// Forgets keys not in `used` (numbers are never reused, so a forgotten key only costs a miss).
    mutating func retain(_ used: Set<Int>) {
        ids = ids.filter { used.contains($0.value) }
    }
}

enum InputSignature {
    /// The signature of every node of `graph` that can have one (known type, no cycle upstream).
    static func compute(_ graph: PromptNodes, fingerprints: [String: String], table: inout SignatureTable) -> [String: Int] {
        var result: [String: Int] = [:]
        for id in graph.dependencyOrder() {
            guard let node = graph.nodes[id] else { continue }
            var parts = [node.classType, fingerprints[id] ?? ""]
            for name in node.inputs.keys.sorted() {
                guard let value = node.inputs[name] else { continue }
                if let link = graph.declaredLink(id, name), let source = result[link.source] {
                    parts.append(name + "=@" + String(source) + ":" + String(link.slot))
                } else {
                    parts.append(name + "=" + canonical(value))
                }
            }
            result[id] = table.intern(parts.joined(separator: "\u{1}"))
        }
        return result
    }

    /// JSON with sorted object keys and integral numbers printed as integers.
    static func canonical(_ v: JSONValue) -> String {
        switch v {
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return String(Int64(d))
        case .array(let a): return "[" + a.map(canonical).joined(separator: ",") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { JSONValue.string($0).serialized() + ":" + canonical(o[$0] ?? .null) }
                .joined(separator: ",") + "}"
        default: return v.serialized()
        }
    }
}
