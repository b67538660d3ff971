import Sampling
import TensorCore

// The interfaces between the loader nodes (which make MODEL, CLIP and VAE values) and the nodes
// that use them (KSampler, CLIPTextEncode, VAEDecode/VAEEncode). A model family (SD1.5 now, Flux
// later) conforms once; the consuming nodes never name a family.

/// MODEL as the samplers see it: ComfyUI's BaseModel (`apply_model` plus its model sampling and
/// latent format). LoRA patches are already applied.
public protocol DiffusionModel: Sendable {
    /// Sigma table and sigma <-> timestep mapping (ModelSamplingDiscrete for SD1.5).
    var modelSampling: any ModelSampling { get }
    /// eps prediction (SD1.5) or flow (`.const`, Flux).
    var parametrization: NoiseParametrization { get }
    /// Channels of the model's latent (4 for SD1.5, 16 for Flux).
    var latentChannels: Int { get }
    /// The latent format: model space = VAE space * scale (0.18215 for SD1.5; process_latent_in).
    var latentScaleFactor: Float { get }
    /// The raw network output for an input already scaled by c_in (EPS.calculate_input):
    /// `x` [B, C, h, w], `timesteps` [B], `context` [B, M, D] (CONDITIONING cond),
    /// `pooled` [B, P] and `guidance` [B] where the family uses them (Flux).
    func predict(_ x: Tensor, timesteps: Tensor, context: Tensor, pooled: Tensor?, guidance: Tensor?) throws -> Tensor
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
