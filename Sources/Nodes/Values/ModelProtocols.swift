import Models
import Sampling
import TensorCore

// The interfaces between the loader nodes (which make MODEL, CLIP and VAE values) and the nodes
// that use them (KSampler, CLIPTextEncode, VAEDecode/VAEEncode). A model family (SD1.5 now, Flux
// later) conforms once; the consuming nodes never name a family.

/// MODEL as the samplers see it: ComfyUI's BaseModel (`apply_model` plus its model sampling and
/// latent format). LoRA patches are already applied.
public protocol DiffusionModel: Sendable {
    /// The model's family: its latent format and how CONDITIONING becomes the network's inputs.
    var family: ModelFamily { get }
    /// Sigma table and sigma <-> timestep mapping (ModelSamplingDiscrete for SD1.5).
    var modelSampling: any ModelSampling { get }
    /// eps prediction (SD1.5) or flow (`.const`, Flux).
    var parametrization: NoiseParametrization { get }
    /// The raw network output for an input already scaled by c_in (EPS.calculate_input):
    /// `x` [B, C, h, w], `timesteps` [B], and the batch's model inputs as the family built them
    /// from the CONDITIONING entries (SD1.x: `c_crossattn` [B, M, D]; see `ModelConditioning`).
    func predict(_ x: Tensor, timesteps: Tensor, conditioning: ModelConditioning) throws -> Tensor
}

extension DiffusionModel {
    /// The family's latent format (process_latent_in/out, channels, previews).
    public var latentFormat: LatentFormat { family.latentFormat }
    /// Channels of the model's latent (the latent format's: 4 for SD1.5, 16 for Flux).
    public var latentChannels: Int { latentFormat.channels }

    /// `extra_conds` of one CONDITIONING entry, for a sampler call on a latent of `latentShape`.
    public func modelConditioning(_ entry: ConditioningValue.Entry, latentShape: [Int]) throws -> ModelConditioning {
        guard let build = family.conditioning else { throw ConditioningNotWritten(family: family.name) }
        return try build(entry, ConditioningSite(latentShape: latentShape))
    }
}

/// CLIP as CLIPTextEncode sees it: text in, CONDITIONING entry out.
public protocol TextEncoder: Sendable {
    /// ComfyUI's `CLIP.encode_from_tokens(tokenize(text), return_pooled=True)`: `cond` [1, M, D]
    /// and `pooled` [1, P], with the encoder's layer selection (CLIPSetLastLayer) applied.
    func encode(_ text: String) throws -> ConditioningValue.Entry
    /// CLIPSetLastLayer: the same encoder taking its output from layer `layer` (-1 = last).
    func stoppingAtLayer(_ layer: Int) throws -> any TextEncoder
}

/// VAE as VAEDecode/VAEEncode see it. Latents are in VAE space, images NHWC in [0, 1].
public protocol ImageAutoencoder: Sendable {
    var latentChannels: Int { get }
    func decode(_ latent: Tensor) throws -> Tensor
    func encode(_ image: Tensor) throws -> Tensor
}

/// A family recognised without its `extra_conds` (no model of it can exist; a test double could).
public struct ConditioningNotWritten: Error, CustomStringConvertible {
    public let family: String
    public var description: String { "the \(family) family has no conditioning builder yet" }
}
