/// ComfyUI 0.8.0's model folder keys (folder_paths.py `folder_names_and_paths`): which sub-folders
/// of a models root belong to a key, and which file extensions its listing keeps.
public struct ModelFolderKey: Sendable, Equatable {
    public let name: String
    /// Sub-folders of a models root, in search order (`diffusion_models` looks in `unet` first).
    public let subfolders: [String]
    /// Lower-case final extensions (with the dot) the listing keeps; empty keeps every file.
    public let extensions: Set<String>

    /// `supported_pt_extensions`.
    public static let ptExtensions: Set<String> = [".ckpt", ".pt", ".pt2", ".bin", ".pth", ".safetensors", ".pkl", ".sft"]

    /// The keys in ComfyUI's registration order (`GET /models`), without `custom_nodes` and `diffusers`
    /// (directories, not files).
    public static let standard: [ModelFolderKey] = [
        .init("checkpoints"),
        .init("configs", extensions: [".yaml"]),
        .init("loras"),
        .init("vae"),
        .init("text_encoders", subfolders: ["text_encoders", "clip"]),
        .init("diffusion_models", subfolders: ["unet", "diffusion_models"]),
        .init("clip_vision"),
        .init("style_models"),
        .init("embeddings"),
        .init("vae_approx"),
        .init("controlnet", subfolders: ["controlnet", "t2i_adapter"]),
        .init("gligen"),
        .init("upscale_models"),
        .init("latent_upscale_models"),
        .init("hypernetworks"),
        .init("photomaker"),
        // ComfyUI's extension set {""}: only files without an extension.
        .init("classifiers", extensions: [""]),
        .init("model_patches"),
        .init("audio_encoders"),
    ]

    /// Legacy names that ComfyUI maps to current keys (`folder_paths.map_legacy`).
    public static let legacyNames: [String: String] = ["unet": "diffusion_models", "clip": "text_encoders"]

    public static func canonicalName(_ key: String) -> String { legacyNames[key] ?? key }

    public init(_ name: String, subfolders: [String]? = nil, extensions: Set<String> = ModelFolderKey.ptExtensions) {
        self.name = name
        self.subfolders = subfolders ?? [name]
        self.extensions = extensions
    }

    /// Whether a listed file name passes this key's extension filter (`filter_files_extensions`).
    public func accepts(_ fileName: String) -> Bool {
        if extensions.isEmpty { return true }
        return extensions.contains(Self.finalExtension(fileName).lowercased())
    }

    /// Python `os.path.splitext(name)[1]`: the last `.suffix` of the last component, "" for
    /// none or for dot-files such as `.hidden`.
    static func finalExtension(_ path: String) -> String {
        let base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        let stripped = base.drop { $0 == "." }
        guard let dot = stripped.lastIndex(of: ".") else { return "" }
        return String(stripped[dot...])
    }
}
