/// What frontend 1.35.9's bundled extensions change about core nodes before or after they are
/// created (`src/extensions/core/*.ts`), and the load-time patches of `app.loadGraphData`.
enum FrontendExtensions {
    /// Inputs the extensions add to a definition's `required` dict (`beforeRegisterNodeDef`).
    /// They are not in `input_order`, so their widgets come after every declared input.
    static func addedInputs(for schema: NodeSchema) -> [InputSpec] {
        var added: [InputSpec] = []
        // Comfy.UploadImage: the first media combo gets an "upload" button (value "image").
        let uploadFlags = ["image_upload", "video_upload", "animated_image_upload"]
        if let media = schema.inputs.first(where: { spec in
            spec.section == .required && spec.type == "COMBO"
                && uploadFlags.contains { spec.options[$0]?.boolValue == true }
        }) {
            var options = media.options
            options["imageInputName"] = .string(media.name)
            added.append(InputSpec(name: "upload", section: .required, type: "IMAGEUPLOAD", options: options))
        }
        // Comfy.Preview3D / Comfy.SaveGLB: a 3D viewer widget named "image" whose value is "".
        if schema.name == "Preview3D" || schema.name == "SaveGLB" {
            added.append(InputSpec(name: "image", section: .required, type: "PREVIEW_3D"))
        }
        return added
    }

    /// Widgets extensions append in `onNodeCreated`, after the definition's widgets.
    static func createdWidgets(for schema: NodeSchema) -> [RuntimeWidget] {
        switch schema.name {
        case "PreviewAny":
            // Comfy.PreviewAny: two "preview" displays (markdown and plain text, both
            // `serialize = false`, so no widgets_values slot, but still sent, value "") and
            // the "previewMode" toggle (default false), which owns slot 0.
            return [RuntimeWidget("preview", value: "", ownsSlot: false),
                    RuntimeWidget("preview", value: "", ownsSlot: false),
                    RuntimeWidget("previewMode", value: false)]
        default:
            return []
        }
    }

    /// Widgets a custom widget constructor adds before the widget it returns. Comfy.Load3D's
    /// LOAD_3D constructor adds three buttons first; buttons have no `serialize: false` option,
    /// so the frontend sends them (the backend ignores them). The viewer's own value is uploaded
    /// camera/image data at queue time, which a file conversion cannot reproduce: the stored
    /// value is sent.
    static func leadingWidgets(_ spec: InputSpec) -> [RuntimeWidget] {
        guard spec.type == "LOAD_3D" else { return [] }
        return [RuntimeWidget("upload 3d model", value: "upload3dmodel"),
                RuntimeWidget("upload extra resources", value: "uploadExtraResources"),
                RuntimeWidget("clear", value: "clear")]
    }

    /// Node types renamed by `loadGraphData` before the graph is built.
    static let renamedTypes: [String: String] = [
        "T2IAdapterLoader": "ControlNetLoader",
        "ConditioningAverage ": "ConditioningAverage",
        "SDV_img2vid_Conditioning": "SVD_img2vid_Conditioning",
        "Load3DAnimation": "Load3D",
        "Preview3DAnimation": "Preview3D",
    ]

    /// Titles come from the frontend's bundled English locale (`nodeDefs.<name>.display_name`)
    /// before the server's `display_name`; these are the entries of 1.35.9's locale that differ
    /// from ComfyUI 0.8.0's `/object_info` (extracted from the shipped bundle).
    static let localeDisplayNames: [String: String] = [
        "ByteDanceSeedreamNode": "ByteDance Seedream 4",
        "FluxKontextMultiReferenceLatentMethod": "FluxKontextMultiReferenceLatentMethod",
        "Mahiro": "Mahiro is so cute that she deserves a better guidance function!! (。・ω・。)",
    ]

    /// The save nodes whose `filename_prefix` goes through `applyTextReplacements`.
    static let textReplacementNodes: Set<String> = ["SaveImage", "SaveVideo", "SaveAnimatedWEBP",
                                                    "SaveWEBM", "SaveAudio", "SaveGLB",
                                                    "SaveAnimatedPNG", "CLIPSave", "VAESave",
                                                    "ModelSave", "LoraSave", "SaveLatent"]

    /// Widget fixes `loadGraphData` applies after configuring every node (subgraphs included).
    static func patchAfterLoad(_ node: RuntimeNode) {
        guard node.type == "KSampler" || node.type == "KSamplerAdvanced" else { return }
        if let w = node.widget(named: "sampler_name"), case .string(let s)? = w.value, s.hasPrefix("sample_") {
            w.value = .string(String(s.dropFirst(7)))
        }
    }
}
