import Foundation

/// The `serializeValue` hooks frontend 1.35.9 installs on core widgets: dynamic prompts
/// (`Comfy.DynamicPrompts`) and `%...%` replacement in save nodes' `filename_prefix`
/// (`Comfy.SaveImageExtraOutput`, utils/searchAndReplace.ts `applyTextReplacements`).
struct WidgetSerializer {
    let root: RuntimeGraph
    let subgraphs: [String: RuntimeGraph]
    let options: UIToAPI.Options

    func value(of widget: RuntimeWidget) -> JSONValue? {
        guard case .string(let text)? = widget.value else { return widget.value }
        if widget.dynamicPrompts { return .string(DynamicPrompt(random: options.random).process(text)) }
        if widget.textReplacements { return .string(replacingText(text, in: root)) }
        return widget.value
    }

    /// `%date:FORMAT%` and `%NodeNameForS&R_or_title.widget%`; anything else stays as written.
    func replacingText(_ text: String, in graph: RuntimeGraph) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(of: "%") {
            let after = rest.index(after: start)
            guard let end = rest[after...].firstIndex(of: "%"), end > after else {
                // `%%` or an unclosed `%`: the regex needs at least one character between.
                let next = rest.index(after: start)
                out += rest[..<next]
                rest = rest[next...]
                continue
            }
            out += rest[..<start]
            let inner = String(rest[after..<end])
            out += replacement(for: inner, in: graph) ?? "%\(inner)%"
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    private func replacement(for text: String, in graph: RuntimeGraph) -> String? {
        let split = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard split.count == 2 else {
            return split[0].hasPrefix("date:") ? Self.formatDate(String(split[0].dropFirst(5)), options.now()) : nil
        }
        let nodes = allNodes(graph)
        let matches = nodes.filter { $0.saved.properties["Node name for S&R"]?.stringValue == split[0] }
        guard let node = matches.first ?? nodes.first(where: { $0.title == split[0] }),
              let widget = node.widget(named: split[1]) else { return nil }
        let value = JavaScript.string(widget.value ?? .string(""))
        let forbidden = Set("/?<>\\:*|\"".unicodeScalars)
        return String(String.UnicodeScalarView(value.unicodeScalars.map { u in
            forbidden.contains(u) || u.value < 0x20 || u.value == 0x7F ? "_" : u
        }))
    }

    /// `collectAllNodes`: each graph's nodes, a subgraph instance's inner nodes before itself.
    private func allNodes(_ graph: RuntimeGraph, depth: Int = 0) -> [RuntimeNode] {
        guard depth < 64 else { return [] }
        return graph.nodes.flatMap { node -> [RuntimeNode] in
            guard let def = node.subgraph, let inner = subgraphs[def.id] else { return [node] }
            return allNodes(inner, depth: depth + 1) + [node]
        }
    }

    /// `formatDate`: d, M, h, m, s (one or two letters, zero-padded to the pattern's length),
    /// yy and yyyy; local time.
    static func formatDate(_ format: String, _ date: Date) -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let parts: [Character: Int] = ["d": c.day ?? 0, "M": c.month ?? 0, "h": c.hour ?? 0,
                                       "m": c.minute ?? 0, "s": c.second ?? 0]
        let chars = Array(format)
        var out = ""
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            var run = 1
            let limit = ch == "y" ? 4 : 2
            while run < limit, i + run < chars.count, chars[i + run] == ch { run += 1 }
            if let p = parts[ch] {
                let s = String(p)
                out += String(repeating: "0", count: max(0, run - s.count)) + s
                i += run
            } else if ch == "y", run >= 2 {
                let year = String(c.year ?? 0)
                out += run == 2 ? String(year.suffix(from: year.index(year.startIndex, offsetBy: min(2, year.count))))
                    : run == 4 ? year : "yyy"
                i += run
            } else {
                out.append(ch)
                i += 1
            }
        }
        return out
    }
}

extension JavaScript {
    /// `value + ''` for the values widgets hold.
    static func string(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .bigInt(let digits): return string(.double(Double(digits) ?? .infinity))  // a JS number
        case .double(let d):
            if d.rounded() == d, abs(d) < 1e21 { return String(format: "%.0f", d) }
            return "\(d)"
        case .array(let a): return a.map(string).joined(separator: ",")
        case .object: return "[object Object]"
        }
    }
}
