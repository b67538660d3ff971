import Foundation
import TestSupport
import Workflow

/// The error bodies captured from the reference ComfyUI 0.8.0 server, read from
/// ../shared/docs/comfyui-compat.md §3.4 ("N. title" followed by a ```json block).
enum CapturedBodies {
    static func body(_ number: Int) throws -> JSONValue {
        let doc = try String(contentsOf: SharedKit.root.appendingPathComponent("docs/comfyui-compat.md"), encoding: .utf8)
        guard let section = doc.range(of: "### 3.4 Captured bodies") else { throw Missing(number: number) }
        let text = doc[section.upperBound...]
        guard let item = text.range(of: "\n\(number). "),
              let open = text.range(of: "```json\n", range: item.upperBound..<text.endIndex),
              let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex) else { throw Missing(number: number) }
        // The block must be this item's, not the next one's (body 15 has no JSON of its own).
        if text.range(of: "\n\(number + 1). ", range: item.upperBound..<open.lowerBound) != nil { throw Missing(number: number) }
        return try JSONParser.parse(String(text[open.upperBound..<close.lowerBound]))
    }

    struct Missing: Error { let number: Int }

    /// Drops `traceback` (Python frames) and sorts what ComfyUI iterates from sets: errors within a
    /// node and `dependent_outputs`.
    static func normalised(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var out = JSONObject()
            for (k, value) in o where k != "traceback" {
                if k == "errors", case .array(let errors) = value {
                    out[k] = .array(errors.map(normalised).sorted { $0.serialized() < $1.serialized() })
                } else if k == "dependent_outputs", case .array(let ids) = value {
                    out[k] = .array(ids.sorted { $0.serialized() < $1.serialized() })
                } else {
                    out[k] = normalised(value)
                }
            }
            return .object(out)
        case .array(let a): return .array(a.map(normalised))
        default: return v
        }
    }
}
