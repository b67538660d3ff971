// Matches ComfyUI 0.8.0 comfy/sd1_clip_config.json (CLIP ViT-L/14 text model) as read from the
// checkpoint's shapes, the way comfy/sd.py and supported_models.py SD15 decide it.
import Checkpoint
import Logging

/// The text transformer's dimensions. Everything except the head count comes from tensor shapes.
public struct CLIPConfig: Equatable, Sendable {
    public var vocabSize = 49408
    public var positions = 77          // max_position_embeddings: the window length
    public var width = 768             // hidden_size
    public var layers = 12             // num_hidden_layers
    public var heads = 12              // num_attention_heads: not in the shapes; CLIP-L has 64-wide heads
    public var intermediate = 3072     // intermediate_size of the quick-GELU MLP
    public var startToken = 49406
    public var endToken = 49407        // eos_token_id; SD1 also pads with it

    public init() {}

    /// Reads the configuration from the shapes under `prefix` (e.g. "cond_stage_model.transformer.text_model").
    public static func detect(in index: TensorIndex, prefix p: String) throws -> CLIPConfig {
        var c = CLIPConfig()
        let tokens = try index.shape(of: p + ".embeddings.token_embedding.weight")       // [vocab, width]
        (c.vocabSize, c.width) = (tokens[0], tokens[1])
        c.positions = try index.shape(of: p + ".embeddings.position_embedding.weight")[0] // [positions, width]
        c.intermediate = try index.shape(of: p + ".encoder.layers.0.mlp.fc1.weight")[0]  // [inter, width]
        c.layers = countBlocks(index, prefix: p + ".encoder.layers.")
        c.heads = c.width / 64
        Logger(label: "swiftcomfy.models").debug("clip: \(c)")
        return c
    }
}
