import Execution
import Sampling

// KSampler's `sampler_name` and `scheduler` combos are the Sampling target's enums, so each name
// is spelled once (comfy/samplers.py `SAMPLER_NAMES` and `SCHEDULER_NAMES`, in their order).
extension SamplerName: ComboValue {}
extension Scheduler: ComboValue {}

/// LatentUpscale / LatentUpscaleBy `upscale_method`.
public enum LatentUpscaleMethod: String, ComboValue {
    case nearestExact = "nearest-exact", bilinear, area, bicubic, bislerp
}

/// ImageScale `upscale_method`.
public enum ImageUpscaleMethod: String, ComboValue {
    case nearestExact = "nearest-exact", bilinear, area, bicubic, lanczos
}

/// `crop` of LatentUpscale / ImageScale.
public enum CropMode: String, ComboValue {
    case disabled, center
}
