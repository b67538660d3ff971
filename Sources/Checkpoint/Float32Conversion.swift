import Dispatch
import Foundation

/// Converts stored elements of any `DType` to Float32. Large tensors are split across all cores;
/// the narrow float formats go through lookup tables (256 KB for F16, 1 KB for each F8).
enum Float32Conversion {
    static let halfTable: [Float] = (0...0xFFFF).map { FloatBits.halfToFloat(UInt16($0)) }
    static let e4m3Table: [Float] = (0...0xFF).map { FloatBits.e4m3fnToFloat(UInt8($0)) }
    static let e5m2Table: [Float] = (0...0xFF).map { FloatBits.e5m2ToFloat(UInt8($0)) }

    /// Elements per parallel chunk; below two chunks the work stays on the calling thread.
    static let chunk = 1 << 18

    /// Writes `count` converted elements of `source` (possibly unaligned) into `destination`.
    static func convert(_ source: UnsafeRawPointer, dtype: DType, count: Int,
                        into destination: UnsafeMutablePointer<Float>) {
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
        case .f32:
            memcpy(dst + range.lowerBound, src + range.lowerBound * 4, range.count * 4)
        case .f16:
            halfTable.withUnsafeBufferPointer { table in
                for i in range { dst[i] = table[Int(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))] }
            }
        case .bf16:
            for i in range {
                dst[i] = Float(bitPattern: UInt32(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
            }
        case .f8e4m3fn:
            e4m3Table.withUnsafeBufferPointer { table in
                for i in range { dst[i] = table[Int(src.load(fromByteOffset: i, as: UInt8.self))] }
            }
        case .f8e5m2:
            e5m2Table.withUnsafeBufferPointer { table in
                for i in range { dst[i] = table[Int(src.load(fromByteOffset: i, as: UInt8.self))] }
            }
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
