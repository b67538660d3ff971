// Matches ComfyUI 0.8.0 comfy/text_encoders/t5_config_xxl.json (google/t5-v1_1-xxl, encoder only).

/// The sizes of a T5 v1.1 encoder.
public struct T5Config: Sendable, Equatable {
    public var vocabSize = 32128
    public var width = 4096           // d_model
    public var feedForward = 10240    // d_ff
    public var heads = 64             // num_heads (d_kv 64)
    public var layers = 24
    public var relativeBuckets = 32
    public var relativeMaxDistance = 128
    public var eps: Float = 1e-6      // layer_norm_epsilon

    /// T5 v1.1 XXL, the Flux / SD3 text encoder.
    public static let xxl = T5Config()
}
