// Matches torch.nn.Embedding: row `id` of the table for every id.
import TensorCore

public struct Embedding {
    public let weight: Tensor      // weight [count, dim]

    public var count: Int { weight.shape[0] }
    public var dim: Int { weight.shape[1] }

    public init(_ w: WeightScope, count: Int, dim: Int) throws {
        weight = try w.tensor("weight", shape: [count, dim])
    }

    /// Rows for `ids`, shape [ids.count, dim]. Ids are checked by the caller (`CLIPTextEncoder`
    /// validates token ids against the vocabulary before embedding them).
    public func callAsFunction(_ ids: [Int]) -> Tensor {
        let d = dim
        var out = Tensor(shape: [ids.count, d], uninitialized: ())
        weight.withUnsafeBufferPointer { table in
            out.withUnsafeMutableBufferPointer { dst in
                for (row, id) in ids.enumerated() {
                    precondition(id >= 0 && id < count, "embedding id \(id) outside 0..<\(count)")
                    for j in 0..<d { dst[row * d + j] = table[id * d + j] }
                }
            }
        }
        return out
    }
}
