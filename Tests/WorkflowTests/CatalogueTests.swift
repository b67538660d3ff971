import Testing
@testable import Workflow

@Test func catalogueKnowsWidgetOrder() throws {
    let k = try #require(Catalogue.comfyUI["KSampler"])
    #expect(k.inputs.map(\.name) == ["model", "seed", "steps", "cfg", "sampler_name", "scheduler",
                                     "positive", "negative", "latent_image", "denoise"])
    #expect(k.outputs.map(\.type) == ["LATENT"])
    #expect(Catalogue.comfyUI["SaveImage"]?.isOutputNode == true)
}
