// Matches ComfyUI 0.8.0 comfy/model_detection.py unet_prefix_from_state_dict and comfy/sd.py
// load_diffusion_model_state_dict (where a file keeps its diffusion model), plus the keys that mark
// a LoRA file (the hint of sd.py model_detection_error_hint), for telling files apart.
import Checkpoint
import Foundation

/// Where the parts of a model file live, in the checkpoint's key space (`model.diffusion_model.*`).
public enum ModelFileLayout {
    public static let unetPrefix = "model.diffusion_model."

    /// A diffusion-model file with its network under `model.diffusion_model.`: a file that has the
    /// prefix (more than 5 keys, unet_prefix_from_state_dict) keeps only those tensors, as
    /// load_diffusion_model_state_dict filters them; a bare file's keys all gain the prefix.
    public static func diffusionModelIndex(url: URL) throws -> TensorIndex {
        try diffusionModelIndex(files: TensorIndex(url: url).files)
    }

    public static func diffusionModelIndex(files: [SafeTensorsFile]) throws -> TensorIndex {
        let p = unetPrefix
        let prefixed = files.reduce(0) { n, f in n + f.keys.lazy.filter { $0.hasPrefix(p) }.prefix(6).count }
        if prefixed > 5 { return try TensorIndex(files: files, rename: [.replacePrefix(p, with: p), .dropPrefix("")]) }
        return try TensorIndex(files: files, rename: [.replacePrefix("", with: p)])
    }

    /// True when the file holds a diffusion model under the prefix and other tensors too (a checkpoint).
    public static func hasPartsBesidesTheUNet(_ index: TensorIndex) -> Bool {
        index.keys.contains { !$0.hasPrefix(unetPrefix) }
    }

    /// True for the tensors of LoRA-style files (kohya, PEFT, LoHa, LoKr).
    public static func looksLikeLoRA(_ index: TensorIndex) -> Bool {
        let markers = [".lora_down.weight", ".lora_up.weight", ".lora_A.weight", ".lora_B.weight", ".hada_w1_a", ".lokr_w1"]
        return index.keys.contains { key in markers.contains { key.hasSuffix($0) } }
    }
}
