// Matches torch.nn.Embedding: row `id` of the table for every id.
import Checkpoint
import TensorCore

public struct Embedding {
    public let weight: StoredTensor    // weight [count, dim], in its stored dtype (rows widened as used)

    public var count: Int { weight.shape[0] }
    public var dim: Int { weight.shape[1] }

    public init(_ w: WeightScope, count: Int, dim: Int) throws {
        weight = try w.stored("weight", shape: [count, dim])
    }

    /// Rows for `ids`, shape [ids.count, dim]. Ids are checked by the caller (`CLIPTextEncoder`
    /// validates token ids against the vocabulary before embedding them).
    public func callAsFunction(_ ids: [Int]) -> Tensor {
        let d = dim, n = count
        var out = Tensor(shape: [ids.count, d], uninitialized: ())
        weight.withElements { table in
            out.withUnsafeMutableBufferPointer { dst in
                for (row, id) in ids.enumerated() {
                    precondition(id >= 0 && id < n, "embedding id \(id) outside 0..<\(n)")
                    table.widen((id * d)..<((id + 1) * d), into: dst.baseAddress! + row * d)
                }
            }
        }
        return out
    }
}
