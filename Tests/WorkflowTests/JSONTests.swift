import Testing
@testable import Workflow

@Test func keepsKeyOrderIntegersAndFloats() throws {
    let v = try JSONParser.parse(#"{"b": 8, "a": 8.0, "seed": 18446744073709551615, "s": "r\u00e9"}"#)
    #expect(v.objectValue?.keys == ["b", "a", "seed", "s"])
    #expect(v.serialized(.python) == #"{"b": 8, "a": 8.0, "seed": 18446744073709551615, "s": "r\u00e9"}"#)
    #expect(v["b"] == v["a"])   // 8 == 8.0 as JSON values
}

@Test func malformedJSONSaysWhere() {
    #expect(throws: JSONParser.Error.self) { try JSONParser.parse("{\n  \"a\": 1,\n}") }
    do { _ = try JSONParser.parse("{\n  \"a\": 1,\n}") } catch {
        #expect("\(error)" == "invalid JSON at line 3, column 1: expected a string key")
    }
}

@Test func catalogueKnowsWidgetOrder() throws {
    let k = try #require(Catalogue.comfyUI["KSampler"])
    #expect(k.inputs.map(\.name) == ["model", "seed", "steps", "cfg", "sampler_name", "scheduler",
                                     "positive", "negative", "latent_image", "denoise"])
    #expect(k.outputs.map(\.type) == ["LATENT"])
    #expect(Catalogue.comfyUI["SaveImage"]?.isOutputNode == true)
}
