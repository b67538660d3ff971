// Matches torch.nn.GroupNorm with affine weights (ComfyUI: 32 groups; eps 1e-5 in the UNet's
// ResBlocks, 1e-6 in its SpatialTransformer and everywhere in the VAE).
import TensorCore

public struct GroupNorm {
    public let weight: Tensor      // weight [C]
    public let bias: Tensor        // bias [C]
    public let groups: Int
    public let eps: Float

    public init(_ w: WeightScope, channels: Int, groups: Int = 32, eps: Float) throws {
        weight = try w.tensor("weight", shape: [channels])
        bias = try w.tensor("bias", shape: [channels])
        self.groups = groups
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {   // x [B, C, ...]
        groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps)
    }
}
