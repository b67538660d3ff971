// Matches ComfyUI 0.8.0 comfy/sd.py CLIP with comfy/sd1_clip.py SD1ClipModel/SD1Tokenizer: tokenize
// with weights and embeddings, encode with the clip_layer of CLIPSetLastLayer, LoRA patches applied
// to the fp16-held weights.
import Foundation
import Models
import TensorCore

/// CLIP of an SD1.x checkpoint or CLIP-L file: tokenizer (with the `embeddings` folders), the text
/// encoder (the base one, or one rebuilt with a LoRA stack's fp16-rounded patched tensors), the
/// layer choice.
public struct SD15TextEncoder: TextEncoder, LoRAPatchableTextEncoder {
    public let base: SD15Base
    public let loras: LoRAStack
    /// CLIPSetLastLayer's `stop_at_clip_layer` (nil: never set, the last layer).
    public let stopAtClipLayer: Int?
    public let tokenizer: CLIPTokenizer
    private let built: Lazy<(weights: HeldWeights, encoder: CLIPTextEncoder)>

    public init(base: SD15Base, tokenizer: CLIPTokenizer, loras: LoRAStack = LoRAStack(), stopAtClipLayer: Int? = nil) throws {
        guard base.clip != nil else { throw SD15PartMissing(file: base.file, part: "text encoder") }
        self.init(base: base, tokenizer: tokenizer, loras: loras, stopAtClipLayer: stopAtClipLayer,
                  built: Self.builder(base, loras))
    }

    /// The CLIP CheckpointLoaderSimple (and CLIPLoader) returns: the SD1 tokenizer looking `embedding:NAME` up in
    /// `embeddingFolders` (the `embeddings` model folders; none: the text is tokenized as written).
    public init(base: SD15Base, embeddingFolders: [URL]) throws {
        try self.init(base: base, tokenizer: try CLIPTokenizer.sd1(embeddings: EmbeddingFolders.lookup(embeddingFolders)))
    }

    private init(base: SD15Base, tokenizer: CLIPTokenizer, loras: LoRAStack, stopAtClipLayer: Int?,
                 built: Lazy<(weights: HeldWeights, encoder: CLIPTextEncoder)>) {
        self.base = base
        self.tokenizer = tokenizer
        self.loras = loras
        self.stopAtClipLayer = stopAtClipLayer
        self.built = built
    }

    private static func builder(_ base: SD15Base, _ loras: LoRAStack) -> Lazy<(weights: HeldWeights, encoder: CLIPTextEncoder)> {
        Lazy {
            guard let clip = base.clip else { throw SD15PartMissing(file: base.file, part: "text encoder") }
            if loras.isEmpty { return (base.weights, clip) }
            let weights = try base.patchedWeights(loras, halfPrecision: true)
            let scope = WeightScope(weights, prefix: SD15Checkpoint.clipPrefix, precision: .float16)
            return (weights, try CLIPTextEncoder(scope, config: clip.config))
        }
    }

    /// CLIPTextEncode: `clip.encode_from_tokens(clip.tokenize(text), return_pooled=True)`.
    public func encode(_ text: String) throws -> ConditioningValue.Entry {
        let tokens = tokenizer.tokenizeWithWeights(text)
        let out = try built.get().encoder.encode(tokens, stopAtClipLayer: stopAtClipLayer)
        return ConditioningValue.Entry(cond: out.cond, pooled: out.pooled)
    }

    /// CLIPSetLastLayer: a clone with `layer_idx` set; shares the built encoder.
    public func stoppingAtLayer(_ layer: Int) throws -> any TextEncoder {
        SD15TextEncoder(base: base, tokenizer: tokenizer, loras: loras, stopAtClipLayer: layer, built: built)
    }

    /// The weights this encoder computes with (fp16 values held as Float32).
    public func heldWeights() throws -> HeldWeights { try built.get().weights }

    public func loraTarget() throws -> LoRATarget { try base.clipTarget() }

    public func withLoRAs(_ stack: LoRAStack) -> any TextEncoder {
        SD15TextEncoder(base: base, tokenizer: tokenizer, loras: stack, stopAtClipLayer: stopAtClipLayer,
                        built: Self.builder(base, stack))
    }
}
