import Checkpoint
import TensorCore

/// The storage types the fixture generator writes (make_fixtures.py `DTYPES`).
public enum FixtureDType: String, CaseIterable, Sendable {
    case f16, bf16, f32

    public var dtype: DType {
        switch self {
        case .f16: return .f16
        case .bf16: return .bf16
        case .f32: return .f32
        }
    }
}

/// One generated tensor: its key, shape, value rule and stream. `name` is the key the stream is
/// derived from, which the generator always sets to the stored key.
public struct FixtureTensor: Sendable {
    public let key: String
    public let shape: [Int]
    public let values: FixtureValues
    public let seed: Int

    public init(key: String, shape: [Int], values: FixtureValues, seed: Int) {
        self.key = key
        self.shape = shape
        self.values = values
        self.seed = seed
    }

    /// A writer item producing this tensor stored as `storage`, generated chunk by chunk, under
    /// `storedKey` (default: its own key, from which the stream is derived either way).
    public func item(storedAs storage: FixtureDType, storedKey: String? = nil) -> SafeTensorsWriter.Item {
        item(stored: storage.dtype, storedKey: storedKey)
    }

    /// The same for any dtype the generator writes: F32, F16, BF16 (round to nearest even) or
    /// F8_E4M3 (make_fixtures.py `f32_to_e4m3fn`); `storedKey` names a tied copy (make_fixtures.py
    /// `ALIAS`: the values are this tensor's).
    public func item(stored storage: DType, storedKey: String? = nil) -> SafeTensorsWriter.Item {
        precondition([.f32, .f16, .bf16, .f8e4m3fn].contains(storage), "the fixture generator does not write \(storage)")
        let base = FixtureRandom.base(key, seed: seed), values = self.values
        return SafeTensorsWriter.Item(key: storedKey ?? key, dtype: storage, shape: shape) { dst, range in
            switch storage {
            case .f16:
                Self.encode(values, base: base, range: range, into: dst.assumingMemoryBound(to: UInt16.self),
                            FloatBits.floatToHalf)
            case .bf16:
                Self.encode(values, base: base, range: range, into: dst.assumingMemoryBound(to: UInt16.self),
                            FloatBits.floatToBFloat)
            case .f8e4m3fn:
                Self.encode(values, base: base, range: range, into: dst.assumingMemoryBound(to: UInt8.self),
                            FloatBits.floatToE4M3FN)
            default:
                values.generate(base: base, range: range, into: dst.assumingMemoryBound(to: Float.self))
            }
        }
    }

    /// Generates into a small Float32 block, then encodes it (keeps both loops simple and tight).
    @inline(__always)
    static func encode<Code>(_ values: FixtureValues, base: UInt64, range: Range<Int>,
                             into out: UnsafeMutablePointer<Code>, _ convert: (Float) -> Code) {
        let block = 4096
        withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scratch in
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(range.upperBound, start + block)
                values.generate(base: base, range: start..<end, into: scratch.baseAddress!)
                let o = out + (start - range.lowerBound)
                for j in 0..<(end - start) { o[j] = convert(scratch[j]) }
                start = end
            }
        }
    }
}
