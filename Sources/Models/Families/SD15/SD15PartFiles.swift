// Matches ComfyUI 0.8.0 comfy/sd.py load_diffusion_model_state_dict (UNETLoader: the UNet keys with
// or without `model.diffusion_model.`; a whole checkpoint's UNet too) and load_clip with
// CLIPType.STABLE_DIFFUSION (CLIPLoader: a CLIP-L file in the HF `text_model.*` layout, loaded into
// sd1_clip.SD1ClipModel), for the SD1.x family. Keys are renamed to the checkpoint's, so the models
// are built exactly as from a checkpoint.
import Checkpoint
import Foundation
import Logging

/// One model of a single-part file and the weights it is built from (held once, as a checkpoint's).
public struct SD15Part<Model> {
    public let model: Model
    public let weights: HeldWeights
    public let file: String
    /// Tensors of the file no model read (logged at debug level).
    public let unusedKeys: [String]
}

extension SD15Checkpoint {
    /// A CLIP-L text-encoder file (`text_model.*`) under the checkpoint's text-encoder names; other
    /// tensors (`text_projection.weight`, `logit_scale`) keep their names and stay unused.
    public static func textEncoderIndex(url: URL) throws -> TensorIndex {
        try TensorIndex(url: url, rename: [.replacePrefix("text_model.", with: clipPrefix + ".")])
    }

    /// UNETLoader: the SD1.x UNet of `index` (`ModelFileLayout.diffusionModelIndex`), float32.
    public static func loadDiffusionModel(index: TensorIndex) throws -> SD15Part<UNet> {
        let config = try SD15Architecture.unetConfig(in: index)
        // Not through HeldWeightsCache: that shares a file's weights by path, and a checkpoint
        // loaded whole elsewhere must not get these UNet-only weights.
        let weights = try HeldWeights(index, parts: [(unetPrefix, .float32)])
        let unet = try UNet(WeightScope(weights, prefix: unetPrefix), config: config)
        return SD15Part(model: unet, weights: weights, file: index.file, unusedKeys: unused(index, weights, skip: []))
    }

    /// CLIPLoader(type stable_diffusion): the CLIP-L text encoder of `index` (see `textEncoderIndex`),
    /// its values rounded to fp16 as ComfyUI holds text encoders.
    public static func loadTextEncoder(index: TensorIndex) throws -> SD15Part<CLIPTextEncoder> {
        let config = try CLIPConfig.detect(in: index, prefix: clipPrefix)
        let skip: Set<String> = [clipPrefix + ".embeddings.position_ids"]
        let weights = try HeldWeights(index, parts: [(clipPrefix, .float16)], skip: skip)
        let clip = try CLIPTextEncoder(WeightScope(weights, prefix: clipPrefix, precision: .float16), config: config)
        return SD15Part(model: clip, weights: weights, file: index.file, unusedKeys: unused(index, weights, skip: skip))
    }

    /// The keys of `index` no model read, logged at debug level.
    static func unused(_ index: TensorIndex, _ weights: HeldWeights, skip: Set<String>) -> [String] {
        let unused = (index.keys.filter { !weights.contains($0) && !skip.contains($0) } + weights.unreadKeys).sorted()
        if !unused.isEmpty {
            Logger(label: "swiftcomfy.models").debug("\(index.file): \(unused.count) tensors not used, first: \(unused.prefix(5))")
        }
        return unused
    }
}
