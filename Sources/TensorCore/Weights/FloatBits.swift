// Scalar float formats: IEEE binary16, bfloat16, float8 e4m3fn and e5m2 <-> Float32.

/// Bit-exact scalar conversions between Float32 and the narrow float formats: the spec of the vector
/// kernels (`ElementConversion`, TensorKernels convert.c), used where single values are converted.
/// They work on bit patterns so they behave the same on every platform (Swift's `Float16` is
/// missing on macOS x86).
public enum FloatBits {
    /// IEEE binary16 -> Float32, exact (every half is a float).
    @inlinable
    public static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24      // zero or subnormal, exact
            return Float(bitPattern: magnitude.bitPattern | sign)
        }
        if exponent == 31 {                               // inf, or NaN made quiet (as F16C's vcvtph2ps)
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13 | (mantissa != 0 ? 0x40_0000 : 0))
        }
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }

    /// Float32 -> IEEE binary16, rounding to nearest even (as numpy's `astype(float16)` and
    /// torch's `.half()`); overflow gives infinity, NaN stays NaN.
    @inlinable
    public static func floatToHalf(_ f: Float) -> UInt16 {
        let bits = f.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude >= 0x7F80_0000 {                               // inf or NaN
            let payload = UInt16(truncatingIfNeeded: magnitude >> 13) & 0x3FF
            return sign | 0x7C00 | (magnitude > 0x7F80_0000 ? 0x200 | payload : 0)
        }
        if magnitude >= 0x477F_F000 { return sign | 0x7C00 }         // rounds to 65536 or more
        if magnitude < 0x3880_0000 {                                 // below 2^-14: subnormal half
            // Adding 0.5 leaves an ulp of 2^-24 (the half subnormal step): the FPU rounds for us.
            let shifted = Float(bitPattern: magnitude) + 0.5
            return sign | UInt16(truncatingIfNeeded: shifted.bitPattern &- 0x3F00_0000)
        }
        let odd = (magnitude >> 13) & 1
        let rounded = magnitude &+ 0xC800_0FFF &+ odd               // rebias exponent, round
        return sign | UInt16(truncatingIfNeeded: rounded >> 13)
    }

    /// bfloat16 -> Float32, exact.
    @inlinable
    public static func bfloatToFloat(_ b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

    /// Float32 -> bfloat16, rounding to nearest even on the bits (as torch and the reference
    /// generator do: `bits + 0x7FFF + ((bits >> 16) & 1)`, wrapping).
    @inlinable
    public static func floatToBFloat(_ f: Float) -> UInt16 {
        let bits = f.bitPattern
        return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }

    /// float8 e4m3fn (no infinities; S.1111.111 is NaN) -> Float32, exact.
    public static func e4m3fnToFloat(_ b: UInt8) -> Float {
        let negative = b & 0x80 != 0
        let exponent = Int((b >> 3) & 0xF), mantissa = Float(b & 0x7)
        let magnitude: Float
        if exponent == 15 && b & 0x7 == 7 {
            magnitude = .nan
        } else if exponent == 0 {
            magnitude = mantissa * 0x1p-9                  // (m / 8) * 2^-6
        } else {
            magnitude = (1 + mantissa / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }

    /// Float32 -> float8 e4m3fn, round to nearest, ties to even, as torch's `.to(torch.float8_e4m3fn)`
    /// (torch 2.15) and the reference generator (make_fixtures.py `f32_to_e4m3fn`): magnitudes from
    /// 2^-6 keep 3 mantissa bits by rounding on the Float32 bits, smaller ones become the subnormal
    /// code `rint(|x| * 512)`; above 448 (infinity included) saturates to 0x7E, NaN is 0x7F; the
    /// sign is bit 7 (so -0 is 0x80).
    @inlinable
    public static func floatToE4M3FN(_ f: Float) -> UInt8 {
        let bits = f.bitPattern
        let sign = UInt8(truncatingIfNeeded: bits >> 24) & 0x80
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude > 0x7F80_0000 { return sign | 0x7F }           // NaN
        if magnitude > 0x43E0_0000 { return sign | 0x7E }           // beyond 448: saturate
        if magnitude < 0x3C80_0000 {                                // below 2^-6: subnormal, step 2^-9
            let scaled = (Float(bitPattern: magnitude) * 512).rounded(.toNearestOrEven)
            return sign | UInt8(scaled)
        }
        let rounded = magnitude &+ 0x7FFFF &+ ((magnitude >> 20) & 1)
        let exponent = (rounded >> 23) &- 120
        return sign | UInt8(truncatingIfNeeded: exponent << 3 | (rounded >> 20) & 7)
    }

    /// float8 e5m2 (the top byte of a binary16) -> Float32, exact.
    public static func e5m2ToFloat(_ b: UInt8) -> Float { halfToFloat(UInt16(b) << 8) }
}
