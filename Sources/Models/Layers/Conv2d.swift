// Matches torch.nn.Conv2d (ComfyUI comfy/ops.py Conv2d): NCHW, square kernel, zero padding.
import Checkpoint
import TensorCore

public struct Conv2d {
    public let weight: StoredTensor    // weight [out, in, k, k], in its stored dtype (widened as used)
    public let bias: Tensor            // bias [out]
    public let stride: Int
    public let padding: Int

    public init(_ w: WeightScope, in inChannels: Int, out outChannels: Int, kernel: Int,
                stride: Int = 1, padding: Int = 0) throws {
        weight = try w.stored("weight", shape: [outChannels, inChannels, kernel, kernel])
        bias = try w.tensor("bias", shape: [outChannels])
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {   // x [B, in, H, W] -> [B, out, H', W']
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}
