import Checkpoint
import Foundation
import Runner
import Workflow

/// `Benchmarks json`: reading and writing the JSON SwiftComfy handles, with Foundation's
/// JSONSerialization for comparison (which keeps neither key order nor `8` vs `8.0`): a 1 MB UI
/// workflow (the seed workflow's nodes repeated under new ids) and a safetensors header of 1,000
/// tensors (parsed through `SafeTensorsFile`, so the figure includes opening and mapping the file).
func runJSONBenchmarks() {
    do { try measureJSON() } catch { print("json: \(error)") }
}

private func measureJSON() throws {
    let workflow = try largeWorkflow(bytes: 1 << 20)
    let text = workflow.serialized(.pretty)
    let bytes = Array(text.utf8), data = Data(text.utf8)
    print(String(format: "workflow: %.2f MB, pretty-printed", Double(bytes.count) / 1e6))
    report("parse JSONParser", repeats: 5) { _ = try? JSONParser.parse(bytes) }
    report("parse JSONSerialization", repeats: 5) { _ = try? JSONSerialization.jsonObject(with: data) }
    report("write compact", repeats: 5) { _ = workflow.serialized(.compact) }
    report("write pretty", repeats: 5) { _ = workflow.serialized(.pretty) }
    report("write python", repeats: 5) { _ = workflow.serialized(.python) }
    let foundation = try JSONSerialization.jsonObject(with: data)
    report("write JSONSerialization", repeats: 5) { _ = try? JSONSerialization.data(withJSONObject: foundation) }

    let items = (0..<1000).map { i in
        SafeTensorsWriter.Item(key: "model.diffusion_model.block.\(i).weight", floats: [Float(i)], shape: [1])
    }
    let header = SafeTensorsWriter.headerBytes(items, metadata: [("format", "pt")])
    print("safetensors header: 1000 tensors, \(header.count) bytes")
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-bench-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try SafeTensorsWriter.write(items, metadata: [("format", "pt")], to: url)
    report("header parse SafeTensorsFile", repeats: 20) { _ = try? SafeTensorsFile(url: url) }
    let headerData = Data(header)
    report("header parse JSONSerialization", repeats: 20) { _ = try? JSONSerialization.jsonObject(with: headerData) }
    report("header write", repeats: 20) { _ = SafeTensorsWriter.headerBytes(items, metadata: [("format", "pt")]) }
}

/// The seed workflow with its nodes repeated (new ids) until the pretty text reaches `bytes`.
private func largeWorkflow(bytes: Int) throws -> JSONValue {
    guard let url = SeedWorkflow.url else { throw CocoaError(.fileNoSuchFile) }
    var workflow = try JSONParser.parse(Array(try Data(contentsOf: url)))
    guard case .object(var object) = workflow, let nodes = object["nodes"]?.arrayValue else { return workflow }
    let perCopy = JSONValue.array(nodes).serialized(.pretty).utf8.count
    var all: [JSONValue] = []
    for copy in 0..<max(1, bytes / perCopy + 1) {
        for node in nodes {
            guard case .object(var n) = node else { continue }
            if let id = n["id"]?.intValue { n["id"] = .int(Int64(copy * 1000 + id)) }
            all.append(.object(n))
        }
    }
    object["nodes"] = .array(all)
    workflow = .object(object)
    return workflow
}

private func report(_ name: String, repeats: Int, _ body: () -> Void) {
    let t = bestTime(repeats: repeats, body)
    print(pad("  " + name, 36) + String(format: "%9.3f ms", t.wall * 1e3))
}
