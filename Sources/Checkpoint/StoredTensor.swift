// A tensor as a checkpoint stores it: its file dtype, shape and bytes (a window of the mapped file,
// or an owned buffer for a converted or LoRA-patched weight). Models hold these and widen what
// they use to Float32 when they run (TensorCore's WeightMatrix), so a weight is never held twice.
import Foundation
import TensorCore

/// `@unchecked Sendable`: every field is immutable and the bytes are never written after the
/// tensor is made, so tensors can be read from any thread.
public struct StoredTensor: WeightMatrix, @unchecked Sendable {
    public let dtype: DType
    public let shape: [Int]
    /// ComfyUI's scaled fp8 files (`<layer>.scale_weight`): the weight is the stored values times
    /// this. Nil for an unscaled tensor.
    public let scale: Float?
    let bytes: StoredBytes

    /// Number of elements (1 for a scalar of shape []).
    public var count: Int { shape.reduce(1, *) }
    /// Bytes of the stored data.
    public var byteCount: Int { bytes.count }
    /// True for a window of a mapped file (pages shared with the page cache), false for owned bytes.
    public var isMapped: Bool { bytes.isMapped }
    /// Where the stored bytes are: equal for tensors that share them.
    public var storageAddress: UnsafeRawPointer { bytes.base }

    init(dtype: DType, shape: [Int], scale: Float? = nil, bytes: StoredBytes) {
        self.dtype = dtype
        self.shape = shape
        self.scale = scale
        self.bytes = bytes
    }

    /// Float32 `values` stored as `dtype` in an owned buffer: F32 copies them, F16 and BF16 round
    /// to nearest even (torch's `.to(dtype)`). Other dtypes are not written this way.
    public init(_ values: Tensor, as dtype: DType) {
        precondition([.f32, .f16, .bf16].contains(dtype), "StoredTensor: cannot round to \(dtype.rawValue)")
        let n = values.count
        let bytes = StoredBytes(owned: n * dtype.byteSize)
        let dst = UnsafeMutableRawPointer(mutating: bytes.base)
        values.withUnsafeBufferPointer { src in
            guard let s = src.baseAddress, n > 0 else { return }
            switch dtype {
            case .f16:
                ElementConversion.roundToHalf(s, count: n, into: dst.assumingMemoryBound(to: UInt16.self))
            case .bf16:
                let out = dst.assumingMemoryBound(to: UInt16.self)
                for i in 0..<n { out[i] = FloatBits.floatToBFloat(s[i]) }
            default:
                dst.copyMemory(from: s, byteCount: n * 4)
            }
        }
        self.init(dtype: dtype, shape: values.shape, bytes: bytes)
    }

    /// Float32 `values` stored as float8 (`.f8e4m3fn` or `.f8e5m2`) by ComfyUI's stochastic
    /// rounding seeded with `seed` (comfy/float.py stochastic_rounding; `StochasticRounding`).
    public init(stochasticallyRounding values: Tensor, to dtype: DType, seed: UInt64) {
        guard let type = dtype.elementType, dtype == .f8e4m3fn || dtype == .f8e5m2 else {
            preconditionFailure("StoredTensor: stochastic rounding to \(dtype.rawValue)")
        }
        let bytes = StoredBytes(owned: values.count)
        values.withUnsafeBufferPointer { src in
            guard let s = src.baseAddress, !src.isEmpty else { return }
            StochasticRounding.roundToFloat8(s, count: src.count, to: type, seed: seed,
                                             into: UnsafeMutableRawPointer(mutating: bytes.base).assumingMemoryBound(to: UInt8.self))
        }
        self.init(dtype: dtype, shape: values.shape, bytes: bytes)
    }

    /// This tensor stored as `dtype` (itself when it already is): ComfyUI casting a model part to
    /// its dtype, e.g. the text encoder of an F32 file to fp16.
    public func rounded(to dtype: DType) -> StoredTensor {
        dtype == self.dtype && scale == nil ? self : StoredTensor(float32(), as: dtype)
    }

    /// The same bytes with a scaled-fp8 `scale_weight`.
    public func scaled(by scale: Float) -> StoredTensor {
        StoredTensor(dtype: dtype, shape: shape, scale: scale, bytes: bytes)
    }

    public func withElements<R>(_ body: (WeightElements) throws -> R) rethrows -> R {
        guard let type = dtype.elementType else {
            preconditionFailure("StoredTensor: \(dtype.rawValue) is not a weight element type")
        }
        return try withExtendedLifetime(bytes) {
            try body(WeightElements(type: type, base: bytes.base, count: count, scale: scale ?? 1))
        }
    }

    /// All values as Float32 (integer dtypes converted too, as `TensorIndex.tensor` reads them).
    public func float32() -> Tensor {
        var out = Tensor(shape: shape, uninitialized: ())
        guard count > 0 else { return out }
        out.withUnsafeMutableBufferPointer { dst in
            withExtendedLifetime(bytes) {
                Float32Conversion.convert(bytes.base, dtype: dtype, count: count, into: dst.baseAddress!)
            }
            if let scale { for i in dst.indices { dst[i] *= scale } }
        }
        return out
    }

    /// The values as Float32, row-major.
    public var scalars: [Float] { float32().scalars }
}

extension DType {
    /// The TensorCore element type of a weight stored as this dtype; nil for integer dtypes and F64.
    public var elementType: ElementType? {
        switch self {
        case .f32: return .float32
        case .f16: return .float16
        case .bf16: return .bfloat16
        case .f8e4m3fn: return .float8E4M3FN
        case .f8e5m2: return .float8E5M2
        default: return nil
        }
    }
}

/// The bytes of a stored tensor: a window of a mapped file (which it keeps mapped) or an owned,
/// 64-byte aligned buffer freed with the last tensor using it.
final class StoredBytes: @unchecked Sendable {
    // Safe to share: the bytes are never written after construction.
    let base: UnsafeRawPointer
    let count: Int
    private let file: MappedFile?

    var isMapped: Bool { file != nil }

    init(window: UnsafeRawBufferPointer, of file: MappedFile) {
        base = window.baseAddress ?? UnsafeRawPointer(bitPattern: 64)!
        count = window.count
        self.file = file
    }

    init(owned count: Int) {
        base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64))
        self.count = count
        file = nil
    }

    deinit {
        if file == nil { UnsafeMutableRawPointer(mutating: base).deallocate() }
    }
}
