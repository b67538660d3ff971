import Foundation
import Testing
import TestSupport
@testable import Workflow

/// Oracle: ../shared/workflows/conversion/NAME.api.json, what ComfyUI frontend 1.35.9 produced
/// from NAME.ui.json (`app.graphToPrompt()`, see that folder's README). Compared as JSON values
/// (key order ignored, 1 == 1.0), exactly: no tolerance.
enum ConversionPairs {
    static let folder = SharedKit.workflows.appendingPathComponent("conversion")

    /// Every NAME with a NAME.ui.json, so a new pair is picked up without editing this file.
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".ui.json") }.map { String($0.dropLast(".ui.json".count)) }.sorted()
    }()

    static func json(_ file: String) throws -> JSONValue {
        try JSONParser.parse(Array(Data(contentsOf: folder.appendingPathComponent(file))))
    }

    /// The differences, one line per node or input, for a readable failure.
    static func differences(_ actual: JSONObject, _ expected: JSONObject) -> [String] {
        var lines: [String] = []
        for id in Set(actual.keys + expected.keys).sorted() {
            guard let a = actual[id] else { lines.append("missing node \(id): \(expected[id]!.serialized(.compact))"); continue }
            guard let e = expected[id] else { lines.append("extra node \(id): \(a.serialized(.compact))"); continue }
            guard a != e else { continue }
            let ai = a["inputs"]?.objectValue ?? JSONObject(), ei = e["inputs"]?.objectValue ?? JSONObject()
            for name in Set(ai.keys + ei.keys).sorted() where ai[name] != ei[name] {
                lines.append("node \(id) input \(name): got \(ai[name]?.serialized(.compact) ?? "nothing"), expected \(ei[name]?.serialized(.compact) ?? "nothing")")
            }
            if a["class_type"] != e["class_type"] || a["_meta"] != e["_meta"] {
                lines.append("node \(id): got \(a.serialized(.compact)), expected \(e.serialized(.compact))")
            }
        }
        return lines
    }
}

@Test func conversionFolderHasThePairs() {
    #expect(ConversionPairs.names.count >= 39)
}

@Test(arguments: ConversionPairs.names)
func uiConvertsLikeTheFrontend(name: String) throws {
    let ui = try #require(ConversionPairs.json("\(name).ui.json").objectValue)
    let expected = try #require(ConversionPairs.json("\(name).api.json").objectValue)
    let actual = try UIToAPI.convert(ui, catalogue: .comfyUI)
    let diff = ConversionPairs.differences(actual, expected)
    #expect(diff.isEmpty, Comment(rawValue: "\(name):\n" + diff.joined(separator: "\n")))
}

/// Oracle: the same NAME.api.json. Per the folder's README, loading the frontend's own re-save
/// (NAME.workflow.json) gives the same prompt, except api_google_gemini_image, whose re-save
/// stores PreviewAny's hidden preview widgets as holes (null), so previewMode becomes null.
@Test(arguments: ConversionPairs.names)
func frontendResaveConvertsTheSame(name: String) throws {
    let ui = try #require(ConversionPairs.json("\(name).workflow.json").objectValue)
    var expected = try #require(ConversionPairs.json("\(name).api.json").objectValue)
    if name == "api_google_gemini_image", case .object(var node)? = expected["4"],
       case .object(var inputs)? = node["inputs"] {
        inputs["previewMode"] = .null
        node["inputs"] = .object(inputs)
        expected["4"] = .object(node)
    }
    let diff = ConversionPairs.differences(try UIToAPI.convert(ui, catalogue: .comfyUI), expected)
    #expect(diff.isEmpty, Comment(rawValue: "\(name):\n" + diff.joined(separator: "\n")))
}

/// Oracle: SD1.5_lora.api.json. The same graph written in schema version 1 (links as objects,
/// comfyWorkflowSchema `zComfyWorkflow1`) must convert identically.
@Test func version1LinkObjectsConvertTheSame() throws {
    var ui = try #require(ConversionPairs.json("SD1.5_lora.ui.json").objectValue)
    let links = try #require(ui["links"]?.arrayValue)
    ui["links"] = .array(links.compactMap { link -> JSONValue? in
        guard let a = link.arrayValue, a.count == 6 else { return nil }
        return .object(JSONObject([("id", a[0]), ("origin_id", a[1]), ("origin_slot", a[2]),
                                   ("target_id", a[3]), ("target_slot", a[4]), ("type", a[5])]))
    })
    ui["version"] = 1
    let expected = try #require(ConversionPairs.json("SD1.5_lora.api.json").objectValue)
    #expect(ConversionPairs.differences(try UIToAPI.convert(ui, catalogue: .comfyUI), expected).isEmpty)
}
