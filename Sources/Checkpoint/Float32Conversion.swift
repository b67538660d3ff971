import Dispatch
import Foundation
import TensorCore

/// Converts stored elements of any `DType` to Float32: the float formats by TensorCore's vector
/// kernels (`ElementConversion`), the integer ones here. Large tensors are split across all cores.
enum Float32Conversion {
    /// Elements per parallel chunk; below two chunks the work stays on the calling thread.
    static let chunk = 1 << 18

    /// Writes `count` converted elements of `source` (possibly unaligned) into `destination`.
    static func convert(_ source: UnsafeRawPointer, dtype: DType, count: Int,
                        into destination: UnsafeMutablePointer<Float>) {
        if let type = dtype.elementType {
            ElementConversion.widen(source, type, count: count, into: destination)
            return
        }
        let chunks = (count + chunk - 1) / chunk
        if chunks < 2 {
            convertRange(source, dtype: dtype, range: 0..<count, into: destination)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let range = (c * chunk)..<min(count, (c + 1) * chunk)
            convertRange(source, dtype: dtype, range: range, into: destination)
        }
    }

    static func convertRange(_ src: UnsafeRawPointer, dtype: DType, range: Range<Int>,
                             into dst: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32, .f16, .bf16, .f8e4m3fn, .f8e5m2:
            ElementConversion.widen(src + range.lowerBound * dtype.byteSize, dtype.elementType!, count: range.count,
                                    into: dst + range.lowerBound)
        case .f64:
            for i in range { dst[i] = Float(src.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
        case .i64:
            for i in range { dst[i] = Float(src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
        case .i32:
            for i in range { dst[i] = Float(src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
        case .i16:
            for i in range { dst[i] = Float(src.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) }
        case .i8:
            for i in range { dst[i] = Float(src.load(fromByteOffset: i, as: Int8.self)) }
        case .u8:
            for i in range { dst[i] = Float(src.load(fromByteOffset: i, as: UInt8.self)) }
        case .bool:
            for i in range { dst[i] = src.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0 }
        }
    }
}
