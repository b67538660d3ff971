// Matches torch.nn.LayerNorm over the last dimension with affine weights (eps 1e-5 by default).
import TensorCore

public struct LayerNorm {
    public let weight: Tensor      // weight [C]
    public let bias: Tensor        // bias [C]
    public let eps: Float

    public init(_ w: WeightScope, channels: Int, eps: Float = 1e-5) throws {
        weight = try w.tensor("weight", shape: [channels])
        bias = try w.tensor("bias", shape: [channels])
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {   // x [..., C]
        layerNorm(x, weight: weight, bias: bias, eps: eps)
    }
}
