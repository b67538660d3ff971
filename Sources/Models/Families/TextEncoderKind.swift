// Matches ComfyUI 0.8.0 comfy/sd.py detect_te_model (which text encoder a standalone file holds,
// from its keys and one shape) for the encoders of the families SwiftComfy knows.
import Checkpoint

/// The text encoder in a standalone file (CLIPLoader, DualCLIPLoader), in ComfyUI's HF layout.
public enum TextEncoderKind: String, Equatable, Sendable {
    case clipL = "CLIP-L", clipH = "CLIP-H", clipG = "CLIP-G"
    case t5XXL = "T5-XXL", t5XL = "T5-XL", t5Base = "T5-base", t5XXLOld = "T5-XXL (old layout)"

    /// detect_te_model's checks, in its order; nil for anything else (LLMs, unknown layouts).
    public static func detect(in index: TensorIndex) -> TextEncoderKind? {
        if index.contains("text_model.encoder.layers.30.mlp.fc1.weight") { return .clipG }
        if index.contains("text_model.encoder.layers.22.mlp.fc1.weight") { return .clipH }
        if index.contains("text_model.encoder.layers.0.mlp.fc1.weight") { return .clipL }
        if let wi = index.shapeIfPresent("encoder.block.23.layer.1.DenseReluDense.wi_1.weight") {
            if wi.last == 4096 { return .t5XXL }
            if wi.last == 2048 { return .t5XL }
        }
        if index.contains("encoder.block.23.layer.1.DenseReluDense.wi.weight") { return .t5XXLOld }
        if index.contains("encoder.block.0.layer.0.SelfAttention.k.weight") { return .t5Base }
        return nil
    }
}
