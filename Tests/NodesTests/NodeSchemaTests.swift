import Execution
import Nodes
import Testing
import Workflow

/// Oracle: ComfyUI 0.8.0's `/object_info` (Catalogue.comfyUI, from ../shared/reference/object_info.json).
/// Every declared schema must agree: input names, order, sections, types, options (default, min,
/// max, step, round, flags; tooltips are borrowed from the catalogue), combo choices except the
/// lists of model/input files, outputs and the output flag.
@Suite struct NodeSchemaTests {
    static let names = Registry.nodes.map { $0.declaration.schema.name }

    @Test func theRegistryDeclaresTheSeedAndIssue7Nodes() {
        let required = ["CheckpointLoaderSimple", "LoraLoader", "LoraLoaderModelOnly", "CLIPTextEncode", "CLIPSetLastLayer",
                        "KSampler", "KSamplerAdvanced", "VAEDecode", "VAEEncode", "VAELoader", "EmptyLatentImage",
                        "EmptySD3LatentImage", "SaveImage", "PreviewImage", "LoadImage", "SaveLatent", "LoadLatent",
                        "LatentUpscale", "LatentUpscaleBy", "ImageScale", "ConditioningCombine", "ConditioningZeroOut",
                        "UNETLoader", "CLIPLoader", "DualCLIPLoader", "FluxGuidance"]
        #expect(Set(Self.names) == Set(required))
        #expect(Self.names.count == required.count)
    }

    @Test(arguments: names) func schemaMatchesComfyUI(_ name: String) throws {
        let declared = try #require(Registry.standard.schema(name))
        let reference = try #require(Catalogue.comfyUI[name])
        let declaration = try #require(Registry.standard[name]?.declaration)
        #expect(declared.inputs.map(\.name) == reference.inputs.map(\.name))
        #expect(declared.inputs.map(\.section) == reference.inputs.map(\.section))
        #expect(declared.inputs.map(\.type) == reference.inputs.map(\.type))
        for (mine, theirs) in zip(declared.inputs, reference.inputs) {
            #expect(mine.options == theirs.options, "\(name).\(mine.name) options")
            let info = declaration.info(mine.name)
            let fileList = info?.modelFolder != nil || info?.inputFileKind != nil
            if !fileList { #expect(mine.choices == theirs.choices, "\(name).\(mine.name) choices") }
        }
        #expect(declared.outputs == reference.outputs)
        #expect(declared.isOutputNode == reference.isOutputNode)
        #expect(declared.category == reference.category)
    }

    @Test func modelFileCombosNameComfyUIsFolders() throws {
        let folders = Registry.nodes.flatMap { node in
            node.declaration.inputs.compactMap { i in i.info.modelFolder.map { "\(node.declaration.schema.name).\(i.spec.name)=\($0)" } }
        }
        #expect(Set(folders) == [
            "CheckpointLoaderSimple.ckpt_name=checkpoints", "LoraLoader.lora_name=loras", "LoraLoaderModelOnly.lora_name=loras",
            "VAELoader.vae_name=vae", "UNETLoader.unet_name=diffusion_models", "CLIPLoader.clip_name=text_encoders",
            "DualCLIPLoader.clip_name1=text_encoders",
            "DualCLIPLoader.clip_name2=text_encoders",
        ])
    }

    /// A stand-in for a declared node whose implementation has not landed (every real node may
    /// be implemented by now).
    enum Unfinished: NodeDefinition {
        static let samples = Input<LatentValue>("samples")
        static let declaration = NodeDeclaration("Unfinished", category: "_for_testing", inputs: [samples],
                                                 outputs: [], isOutputNode: true)
        static func execute(_ a: Arguments, _ ctx: NodeContext) throws -> NodeOutput { throw NotImplementedYet("Unfinished") }
    }

    @Test func aDeclaredButUnimplementedNodeSaysSoByName() throws {
        let executor = Executor(registry: NodeRegistry(Registry.nodes + [Unfinished.self]))
        let prompt = JSONObject([
            ("1", ["class_type": "EmptyLatentImage", "inputs": ["width": 64, "height": 64, "batch_size": 1]]),
            ("2", ["class_type": "Unfinished", "inputs": ["samples": ["1", 0]]]),
        ])
        let failure = try #require(throws: NodeFailure.self) { try executor.validateAndRun(prompt, environment: Fixtures.environment()) }
        #expect(failure.description == "node 2 (Unfinished) failed: Unfinished is declared but not implemented yet in SwiftComfy")
    }
}
