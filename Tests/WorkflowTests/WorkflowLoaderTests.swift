import Foundation
import Testing
import TestSupport
@testable import Workflow

/// Oracle: the messages this project promises (exact text), and the formats' definitions in
/// ../shared/docs/comfyui-compat.md §1.
private func loadError(_ text: String) -> String? {
    do { _ = try WorkflowLoader.load(data: Data(text.utf8)); return nil } catch { return "\(error)" }
}

@Test(arguments: [
    ("", "the file is not a ComfyUI workflow: it is empty"),
    (" \n\t", "the file is not a ComfyUI workflow: it is empty"),
    ("{\n  \"3\": {\"class_type\": \"KSampler\",}\n}",
     "the file is not a ComfyUI workflow: invalid JSON at line 2, column 34: expected a string key"),
    ("[1, 2]", "the file is not a ComfyUI workflow: its top level is an array, not a JSON object (an API prompt or a UI export)"),
    ("\"prompt\"", "the file is not a ComfyUI workflow: its top level is a string, not a JSON object (an API prompt or a UI export)"),
    ("{}", "the file is not a ComfyUI workflow: it is an empty JSON object"),
    (#"{"foo": 1, "bar": {}}"#,
     "the file is not a ComfyUI workflow: it is neither an API prompt nor a UI export: its keys ('foo', 'bar') are not node ids with 'class_type', and it has no 'nodes'/'links'"),
    (#"{"nodes": []}"#, "the file is not a ComfyUI workflow: it is neither an API prompt nor a UI export: it has 'nodes' but no 'links'"),
    (#"{"nodes": {}, "links": []}"#, "UI workflow: 'nodes' is not an array"),
    (#"{"nodes": [{"id": 3}], "links": []}"#, "UI workflow: node 3 has no string 'type'"),
    (#"{"nodes": [{"type": "KSampler"}], "links": []}"#, "UI workflow: node entry 0 has no integer or string 'id'"),
    (#"{"nodes": [7], "links": []}"#, "UI workflow: node entry 0 is not a JSON object"),
    (#"{"nodes": [{"id": 5, "type": "VAEDecode", "inputs": [{"name": "vae", "link": "x"}]}], "links": []}"#,
     "UI workflow: node 5 input 'vae' has a 'link' that is not an integer"),
    (#"{"nodes": [{"id": 5, "type": "VAEDecode", "mode": "on"}], "links": []}"#, "UI workflow: node 5 has a 'mode' that is not an integer"),
    (#"{"nodes": [], "links": [[1, 2]]}"#,
     "UI workflow: link entry 0 has 2 entries, expected [id, origin, origin_slot, target, target_slot, type]"),
    (#"{"nodes": [], "links": [{"id": 4, "origin_id": 1, "origin_slot": "a", "target_id": 2, "target_slot": 0}], "version": 1}"#,
     "UI workflow: link entry 0 (link 4) has an 'origin_slot' or 'target_slot' that is not an integer"),
    (#"{"nodes": [], "links": [], "definitions": {"subgraphs": [{"name": "x"}]}}"#,
     "UI workflow: subgraph definitions: definition 0 has no string 'id'"),
])
func loaderErrorsSayWhatIsWrong(text: String, message: String) {
    #expect(loadError(text) == message)
}

@Test func apiPromptIsReturnedAsIs() throws {
    let text = #"{"3": {"class_type": "KSampler", "inputs": {"seed": 5}}, "4": {"class_type": "X", "inputs": {}}}"#
    let loaded = try WorkflowLoader.load(data: Data(text.utf8))
    #expect(loaded.format == .api)
    #expect(loaded.workflow == nil)
    #expect(JSONValue.object(loaded.prompt) == (try JSONParser.parse(text)))
}

@Test func uiExportIsConvertedAndKept() throws {
    let url = SharedKit.workflows.appendingPathComponent("conversion/SD1.5_lora.ui.json")
    let data = try Data(contentsOf: url)
    let loaded = try WorkflowLoader.load(data: data)
    #expect(loaded.format == .ui)
    #expect(loaded.workflow.map(JSONValue.object) == (try JSONParser.parse(Array(data))))
    #expect(loaded.prompt.keys == ["3", "4", "5", "6", "7", "8", "9", "10", "11"])
    #expect(loaded.prompt["3"]?["inputs"]?["seed"] == 1234)
}

/// Oracle: the set-(b) templates of ../shared/workflows/templates, which the frontend opens;
/// every one must convert, and every emitted node must name a catalogue type.
@Test(arguments: ["default", "flux_schnell", "sd3.5_simple_example", "sdxl_refiner_prompt_example", "sdxl_simple_example"])
func templateConverts(name: String) throws {
    let url = SharedKit.workflows.appendingPathComponent("templates/\(name).json")
    let loaded = try WorkflowLoader.load(data: Data(contentsOf: url))
    #expect(loaded.format == .ui)
    #expect(!loaded.prompt.isEmpty)
    for (id, node) in loaded.prompt {
        let type = node["class_type"]?.stringValue ?? ""
        #expect(Catalogue.comfyUI[type] != nil, "node \(id) has type \(type)")
    }
}

@Test func templatesFolderIsFullyCovered() throws {
    let folder = SharedKit.workflows.appendingPathComponent("templates")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
    #expect(files.count == 5)
}

/// Oracle: frontend `ExecutableNodeDTO.resolveInput` throws `RecursionError` on a loop, so
/// such a workflow cannot be queued there either.
@Test func rerouteLoopIsReported() {
    let text = #"""
    {"nodes": [{"id": 1, "type": "Reroute", "inputs": [{"name": "", "type": "*", "link": 2}], "outputs": [{"name": "", "type": "*", "links": [1, 3]}]},
               {"id": 2, "type": "Reroute", "inputs": [{"name": "", "type": "*", "link": 1}], "outputs": [{"name": "", "type": "*", "links": [2]}]},
               {"id": 3, "type": "VAEDecode", "inputs": [{"name": "samples", "type": "LATENT", "link": 3}]}],
     "links": [[1, 1, 0, 2, 0, "*"], [2, 2, 0, 1, 0, "*"], [3, 1, 0, 3, 0, "LATENT"]]}
    """#
    #expect(loadError(text) == "UI workflow: input 'samples' of node 3 leads back to itself through reroutes, bypassed nodes or subgraphs")
}

/// 20,000 nested subgraph definitions overflowed the stack (SIGSEGV) before the nesting bound.
@Test(arguments: [false, true])
func deeplyNestedSubgraphsAreRefusedWithTheLimit(bottomUp: Bool) {
    let depth = 20_000
    // Ids sort top-down ("sg0" holds "sg1") or bottom-up ("sg0" is the innermost).
    func name(_ level: Int) -> String { "sg\(bottomUp ? String(format: "%05d", depth - 1 - level) : String(level))" }
    let definitions = (0..<depth).map { level in
        let inner = level + 1 < depth ? #"[{"id": 1, "type": "\#(name(level + 1))"}]"# : "[]"
        return #"{"id": "\#(name(level))", "name": "level \#(level)", "nodes": \#(inner), "links": []}"#
    }
    let text = #"{"nodes": [{"id": 1, "type": "\#(name(0))"}], "links": [], "definitions": {"subgraphs": [\#(definitions.joined(separator: ", "))]}}"#
    let message = loadError(text)
    #expect(message?.contains("subgraphs nest more than 100 levels deep (SwiftComfy's limit)") == true, "\(message ?? "loaded")")
}
