/// Finds dependency cycles among the nodes reachable from the outputs (iteratively: no recursion
/// on user input). ComfyUI has no such check in validation; it overflows its recursion instead.
enum CycleFinder {
    struct Step: Equatable { let node: String; let input: String }

    /// Each cycle as steps `node --input--> next node`, starting at the node met first.
    static func cycles(in graph: PromptGraph, from outputs: [String]) -> [[Step]] {
        enum Mark { case active, done }
        var marks: [String: Mark] = [:]
        var found: [[Step]] = []
        var seen = Set<Set<String>>()
        for start in outputs where marks[start] == nil {
            // Stack frames: node, its links, next link index.
            var stack: [(node: String, links: [(input: String, source: String)], next: Int)] = []
            marks[start] = .active
            stack.append((start, graph.links(of: start), 0))
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].next == stack[top].links.count {
                    marks[stack[top].node] = .done
                    stack.removeLast()
                    continue
                }
                let link = stack[top].links[stack[top].next]
                stack[top].next += 1
                switch marks[link.source] {
                case .done?: continue
                case .active?:
                    guard let from = stack.firstIndex(where: { $0.node == link.source }) else { continue }
                    let steps = stack[from...].map { frame in
                        Step(node: frame.node, input: frame.links[frame.next - 1].input)
                    }
                    let members = Set(steps.map(\.node))
                    if seen.insert(members).inserted { found.append(steps) }
                case nil:
                    marks[link.source] = .active
                    stack.append((link.source, graph.links(of: link.source), 0))
                }
            }
        }
        return found
    }
}
