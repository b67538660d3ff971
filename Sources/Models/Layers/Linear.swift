// Matches torch.nn.Linear (ComfyUI comfy/ops.py Linear): y = x W^T + b over the last dimension.
import Checkpoint
import TensorCore

public struct Linear {
    public let weight: StoredTensor    // weight [out, in], in its stored dtype (widened as used)
    public let bias: Tensor?           // bias [out]

    public init(_ w: WeightScope, in inFeatures: Int, out outFeatures: Int, bias hasBias: Bool = true) throws {
        weight = try w.stored("weight", shape: [outFeatures, inFeatures])
        bias = hasBias ? try w.tensor("bias", shape: [outFeatures]) : nil
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {   // x [..., in] -> [..., out]
        linear(x, weight: weight, bias: bias)
    }
}
