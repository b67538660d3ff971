// Weights kept in their file dtype are widened to Float32 where they are used, by the vector
// kernels of TensorKernels (convert.c: AVX-512, AVX2 + F16C, generic C; FloatBits is their spec).
import TensorKernels

/// The element types a weight can be stored in.
public enum ElementType: Sendable, Equatable {
    case float32, float16, bfloat16, float8E4M3FN, float8E5M2

    public var byteSize: Int {
        switch self {
        case .float32: return 4
        case .float16, .bfloat16: return 2
        case .float8E4M3FN, .float8E5M2: return 1
        }
    }
}

/// An instruction-set level of the conversion kernels (tests run each one the CPU has).
public enum KernelLevel: Int32, Sendable, CaseIterable, Comparable {
    case generic = 0, avx2 = 1, avx512 = 2

    /// The level the kernels use on this CPU.
    public static var current: KernelLevel { KernelLevel(rawValue: tk_kernel_level()) ?? .generic }

    public static func < (a: KernelLevel, b: KernelLevel) -> Bool { a.rawValue < b.rawValue }
}

public enum ElementConversion {
    /// Elements per parallel chunk; below two chunks the work stays on the calling thread.
    static let chunk = 1 << 18

    /// Writes `count` elements of `source` (stored as `type`, any alignment) as Float32 into
    /// `destination`, each times `scale` when it is not 1. Exact (every stored value is a float).
    public static func widen(_ source: UnsafeRawPointer, _ type: ElementType, count: Int,
                             scale: Float = 1, into destination: UnsafeMutablePointer<Float>,
                             level: KernelLevel = .current) {
        let chunks = (count + chunk - 1) / chunk
        if chunks < 2 {
            widenRange(source, type, 0..<count, scale: scale, into: destination, level: level)
            return
        }
        Parallel.forEach(chunks) { range in
            for c in range {
                widenRange(source, type, (c * chunk)..<min(count, (c + 1) * chunk), scale: scale,
                           into: destination, level: level)
            }
        }
    }

    /// Elements `range` of `source` into `destination + range.lowerBound`.
    static func widenRange(_ source: UnsafeRawPointer, _ type: ElementType, _ range: Range<Int>, scale: Float,
                           into destination: UnsafeMutablePointer<Float>, level: KernelLevel) {
        let n = range.count, d = destination + range.lowerBound
        let s = source + range.lowerBound * type.byteSize, l = level.rawValue
        switch type {
        case .float32: UnsafeMutableRawPointer(d).copyMemory(from: s, byteCount: n * 4)
        case .float16: tk_widen_f16_at(l, s.assumingMemoryBound(to: UInt16.self), d, n)
        case .bfloat16: tk_widen_bf16_at(l, s.assumingMemoryBound(to: UInt16.self), d, n)
        case .float8E4M3FN: tk_widen_f8e4m3fn_at(l, s.assumingMemoryBound(to: UInt8.self), d, n)
        case .float8E5M2: tk_widen_f8e5m2_at(l, s.assumingMemoryBound(to: UInt8.self), d, n)
        }
        if scale != 1 { tk_scale(d, n, scale) }
    }

    /// Rounds `count` floats to binary16 (nearest even, as torch's `.half()`; overflow gives
    /// infinity) into `destination`.
    public static func roundToHalf(_ source: UnsafePointer<Float>, count: Int, into destination: UnsafeMutablePointer<UInt16>,
                                   level: KernelLevel = .current) {
        Parallel.forEach(count, grain: chunk) { range in
            tk_round_f16_at(level.rawValue, source + range.lowerBound, destination + range.lowerBound, range.count)
        }
    }
}
