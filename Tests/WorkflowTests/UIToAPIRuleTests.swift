import Foundation
import Testing
@testable import Workflow

/// Oracle: frontend 1.35.9 source (read from the shipped bundle's source maps):
/// `useIntWidget`/`useFloatWidget`/`useComboWidget` (control slots), `migrateWidgetsValues`,
/// `LGraphNode.configure` (defaults, extra values), `ExecutableNodeDTO.#getBypassSlotIndex`,
/// JavaScript object key order. Synthetic node types keep each rule visible on its own.
private let testCatalogue: Catalogue = {
    let info = try! JSONParser.parse(#"""
    {
      "Knobs": {"input": {"required": {
          "count": ["INT", {"default": 3, "control_after_generate": true}],
          "scale": ["FLOAT", {"default": 0.5, "control_after_generate": true}],
          "pick": [["p", "q"], {"control_after_generate": true}],
          "seed": ["INT", {"default": 1, "control_after_generate": false}],
          "label": ["STRING", {"default": "x"}]}},
        "input_order": {"required": ["count", "scale", "pick", "seed", "label"]},
        "output": ["INT"], "output_name": ["INT"], "display_name": "Knobs"},
      "Legacy": {"input": {"required": {"a": ["INT", {"default": 0}], "b": ["STRING", {"forceInput": true}],
                                        "c": ["INT", {"default": 7}]}},
        "input_order": {"required": ["a", "b", "c"]}, "output": [], "display_name": "Legacy"},
      "Pass": {"input": {"required": {"image": ["IMAGE", {}], "mask": ["MASK", {}]}},
        "input_order": {"required": ["image", "mask"]}, "output": ["MASK", "IMAGE"], "display_name": ""},
      "Sink": {"input": {"required": {"x": ["IMAGE", {}]}, "optional": {"m": ["MASK", {}]}},
        "input_order": {"required": ["x"], "optional": ["m"]}, "output": [], "display_name": "Sink"},
      "Source": {"input": {"required": {}}, "input_order": {"required": []},
        "output": ["IMAGE", "MASK"], "display_name": "Source"}
    }
    """#).objectValue!
    var schemas: [String: NodeSchema] = [:]
    for (name, entry) in info { schemas[name] = try! Catalogue.schema(name: name, info: entry.objectValue!) }
    return Catalogue(schemas: schemas)
}()

private func convert(_ ui: String) throws -> JSONObject {
    try UIToAPI.convert(JSONParser.parse(ui).objectValue!, catalogue: testCatalogue)
}

@Test func controlSlotsFollowTheWidgetKind() throws {
    // count + control, scale + control, pick + control + filter, seed (explicit false: none), label
    let out = try convert(#"""
    {"nodes": [{"id": 1, "type": "Knobs", "widgets_values": [5, "fixed", 0.25, "fixed", "q", "fixed", "", 9, "y", "extra"]}],
     "links": []}
    """#)
    #expect(out["1"]?["inputs"] == ["count": 5, "scale": 0.25, "pick": "q", "seed": 9, "label": "y"])
    #expect(out["1"]?["_meta"]?["title"] == "Knobs")
}

@Test func missingTrailingValuesTakeDefaults() throws {
    let out = try convert(#"{"nodes": [{"id": 1, "type": "Knobs", "widgets_values": [5]}], "links": []}"#)
    #expect(out["1"]?["inputs"] == ["count": 5, "scale": 0.5, "pick": "p", "seed": 1, "label": "x"])
}

@Test func legacyForceInputSlotIsDropped() throws {
    // Old layout: a value for every input, forceInput "b" included: [a, b, c].
    let old = try convert(#"{"nodes": [{"id": 1, "type": "Legacy", "widgets_values": [1, "old", 2]}], "links": []}"#)
    #expect(old["1"]?["inputs"] == ["a": 1, "c": 2])
    // Current layout: [a, c].
    let new = try convert(#"{"nodes": [{"id": 1, "type": "Legacy", "widgets_values": [1, 2]}], "links": []}"#)
    #expect(new["1"]?["inputs"] == ["a": 1, "c": 2])
}

@Test func bypassPicksTheInputByType() throws {
    // Pass outputs [MASK, IMAGE]; inputs [image, mask]. Sink.x (IMAGE) reads output 1 of the
    // bypassed Pass: slot 1 is "mask" (MASK, no fit), so the first exact IMAGE input wins.
    // Sink.m (MASK) reads output 0: slot 0 is "image" (no fit), first exact MASK is input 1.
    let out = try convert(#"""
    {"nodes": [{"id": 1, "type": "Source", "outputs": [{"name": "IMAGE", "type": "IMAGE", "links": [1]}, {"name": "MASK", "type": "MASK", "links": [2]}]},
               {"id": 2, "type": "Pass", "mode": 4, "inputs": [{"name": "image", "type": "IMAGE", "link": 1}, {"name": "mask", "type": "MASK", "link": 2}]},
               {"id": 3, "type": "Sink", "inputs": [{"name": "x", "type": "IMAGE", "link": 3}, {"name": "m", "type": "MASK", "link": 4}]}],
     "links": [[1, 1, 0, 2, 0, "IMAGE"], [2, 1, 1, 2, 1, "MASK"], [3, 2, 1, 3, 0, "IMAGE"], [4, 2, 0, 3, 1, "MASK"]]}
    """#)
    #expect(out.keys == ["1", "3"])
    #expect(out["3"]?["inputs"] == ["x": ["1", 0], "m": ["1", 1]])
    #expect(out["3"]?["_meta"]?["title"] == "Sink")
}

@Test func mutedSourceLinksAreDeleted() throws {
    let out = try convert(#"""
    {"nodes": [{"id": 1, "type": "Source", "mode": 2},
               {"id": 3, "type": "Sink", "inputs": [{"name": "x", "type": "IMAGE", "link": 3}]}],
     "links": [[3, 1, 0, 3, 0, "IMAGE"]]}
    """#)
    #expect(out.keys == ["3"])
    #expect(out["3"]?["inputs"] == [:])
}

@Test func unknownTypesKeepTheirTypeAndLinksButNotTheirValues() throws {
    let out = try convert(#"""
    {"nodes": [{"id": 1, "type": "Source"},
               {"id": 2, "type": "CustomPack", "title": "Mine", "widgets_values": [1, "a"],
                "inputs": [{"name": "pixels", "type": "IMAGE", "link": 5}]}],
     "links": [[5, 1, 0, 2, 0, "IMAGE"]]}
    """#)
    #expect(out["2"] == ["inputs": ["pixels": ["1", 0]], "class_type": "CustomPack", "_meta": ["title": "Mine"]])
}

@Test func idsFollowJavaScriptObjectOrder() throws {
    #expect(JavaScript.ordered(JSONObject([("a", 1), ("10", 2), ("9:1", 3), ("9", 4), ("01", 5)])).keys
            == ["9", "10", "a", "9:1", "01"])
}

/// Oracle: frontend 1.35.9 `applyTextReplacements` and `formatDate` (utils/searchAndReplace.ts,
/// shared-frontend-utils formatUtil.ts), read from the source; the clock is injected.
@Test func saveImagePrefixReplacements() throws {
    let ui = try JSONParser.parse(#"""
    {"nodes": [{"id": 3, "type": "KSampler", "widgets_values": [42, "fixed", 20, 8, "euler", "normal", 1]},
               {"id": 5, "type": "EmptyLatentImage", "title": "Size", "widgets_values": [512, 768, 1]},
               {"id": 9, "type": "SaveImage",
                "widgets_values": ["%date:yyyy-MM-dd_hh:m:s%/%date:yyyy.M%/%KSampler.sampler_name%_%Size.height%_%width%_%100%%x.y%_%date:yy%"]}],
     "links": []}
    """#).objectValue!
    var parts = DateComponents()
    (parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second) = (2026, 3, 7, 9, 5, 1)
    let date = try #require(Calendar.current.date(from: parts))
    let out = try UIToAPI.convert(ui, catalogue: .comfyUI, options: .init(now: { date }))
    // "%date:yyyy.M%" splits at '.' into two parts, so it is read as node "date:yyyy", widget "M":
    // no such node, the text stays.
    #expect(out["9"]?["inputs"]?["filename_prefix"] == "2026-03-07_09:5:1/%date:yyyy.M%/euler_768_%width%_%100%%x.y%_26")
}
