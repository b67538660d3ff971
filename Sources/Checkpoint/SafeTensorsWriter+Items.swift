import TensorCore

extension SafeTensorsWriter.Item {
    /// A Float32 tensor stored as F32, F16 or BF16 (rounded to nearest even).
    public init(key: String, tensor: Tensor, as dtype: DType = .f32) {
        let values = tensor.scalars
        self.init(key: key, floats: values, shape: tensor.shape, as: dtype)
    }

    /// Float32 values (row-major, `shape`) stored as F32, F16 or BF16. Other dtypes store F32.
    public init(key: String, floats values: [Float], shape: [Int], as dtype: DType = .f32) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape) of '\(key)'")
        let stored: DType = [.f16, .bf16].contains(dtype) ? dtype : .f32
        self.init(key: key, dtype: stored, shape: shape) { dst, range in
            values.withUnsafeBufferPointer { src in
                switch stored {
                case .f16:
                    let out = dst.assumingMemoryBound(to: UInt16.self)
                    for i in range { out[i - range.lowerBound] = FloatBits.floatToHalf(src[i]) }
                case .bf16:
                    let out = dst.assumingMemoryBound(to: UInt16.self)
                    for i in range { out[i - range.lowerBound] = FloatBits.floatToBFloat(src[i]) }
                default:
                    let out = dst.assumingMemoryBound(to: Float.self)
                    for i in range { out[i - range.lowerBound] = src[i] }
                }
            }
        }
    }

    /// Int64 values (row-major, `shape`) stored as I64 (e.g. `position_ids`).
    public init(key: String, int64 values: [Int64], shape: [Int]) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape) of '\(key)'")
        self.init(key: key, dtype: .i64, shape: shape) { dst, range in
            let out = dst.assumingMemoryBound(to: Int64.self)
            for i in range { out[i - range.lowerBound] = values[i].littleEndian }
        }
    }
}
