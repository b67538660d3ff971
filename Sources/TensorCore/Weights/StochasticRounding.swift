// Matches ComfyUI 0.8.0 comfy/float.py stochastic_rounding for float8 targets (the write-back of a
// LoRA-patched fp8 weight): manual_stochastic_round_to_float8 on the value rounded to float16, every
// step in torch's float16 arithmetic (each op in float32, then rounded to fp16), with uniform noise
// from torch's CPU generator seeded per key: torch.rand(dtype=float16) is the float32 draw
// (24 bits of one MT19937 output times 2^-24) rounded to fp16, where a draw rounding up to 1 gives
// 0 (torch keeps rand below 1; measured: no 1.0 in 4M fp16 draws, 0 where rounding gives 1). Reference:
// scripts/reference/fp8_stochastic_rounding.py (real torch on ComfyUI's own code).
import Foundation

public enum StochasticRounding {
    /// `stochastic_rounding(values, float8 type, seed)`: fp8 bytes of `count` values (row-major, one
    /// random draw each, in order). `type` is `.float8E4M3FN` or `.float8E5M2`.
    public static func roundToFloat8(_ values: UnsafePointer<Float>, count: Int, to type: ElementType, seed: UInt64,
                                     into out: UnsafeMutablePointer<UInt8>) {
        let format: Float8Format
        switch type {
        case .float8E4M3FN: format = Float8Format(exponentBits: 4, mantissaBits: 3, bias: 7, max: 448)
        case .float8E5M2: format = Float8Format(exponentBits: 5, mantissaBits: 2, bias: 15, max: 57344)
        default: preconditionFailure("stochastic rounding to \(type) is not a float8 rounding")
        }
        var random = MersenneTwister(seed: seed)
        for i in 0..<count {
            out[i] = format.encode(format.round(half(values[i]), noise: randHalf(&random)))
        }
    }

    /// `torch.rand(1, dtype=float16, generator)`: one draw in [0, 1).
    @inline(__always)
    static func randHalf(_ random: inout MersenneTwister) -> Float {
        let r = half(Float(random.next() & 0xFF_FFFF) * 0x1p-24)
        return r == 1 ? 0 : r
    }

    /// The value rounded to the nearest float16 (ties to even) and widened back.
    @inline(__always)
    static func half(_ x: Float) -> Float { FloatBits.halfToFloat(FloatBits.floatToHalf(x)) }
}

/// One float8 format and ComfyUI's stochastic rounding into it.
struct Float8Format {
    let exponentBits: Int, mantissaBits: Int, bias: Int, max: Float

    /// manual_stochastic_round_to_float8 for one fp16 value `x` and its fp16 `noise` in [0, 1]:
    /// the fp16 result, on the format's grid (or NaN).
    func round(_ x: Float, noise: Float) -> Float {
        guard !x.isNaN else { return x }
        let h = StochasticRounding.half
        let a = abs(x)
        let sign: Float = a == 0 ? 0 : (x < 0 ? -1 : 1)     // where(|x| == 0, 0, sign(x))
        // floor(log2|x|) in fp16: log2 rounded to fp16 first, so just below a power of two (from
        // 16 up, 1/16 down) it can give the next exponent; inf gives the top exponent.
        let exponent = Swift.min(Swift.max(h(Foundation.floor(h(log2f(a)))) + Float(bias), 0),
                                 Float((1 << exponentBits) - 1))
        let normal = exponent != 0
        let steps = Float(1 << mantissaBits)
        let scale = h(powf(2, h(exponent - Float(bias))))      // 2^16 overflows fp16 to inf (e5m2)
        var m = normal ? h(h(h(a / scale) - 1) * steps) : h(a / powf(2, Float(-bias + 1 - mantissaBits)))
        m = h(Foundation.floor(h(m + noise)) / steps)
        let magnitude = normal ? h(scale * h(1 + m)) : h(powf(2, Float(-bias + 1)) * m)
        let v = h(sign * magnitude)
        return v.isNaN ? v : Swift.min(Swift.max(v, -max), max)
    }

    /// The byte of a value on the grid (rounding to nearest even otherwise). NaN gives 0xFF: the
    /// NaN torch's CPU arithmetic produces carries the sign bit (x86's default NaN).
    func encode(_ v: Float) -> UInt8 {
        if v.isNaN { return 0xFF }
        let signBit: UInt8 = v.sign == .minus ? 0x80 : 0
        let a = abs(v)
        if a == 0 { return signBit }
        let e = Int(a.exponent)
        if e + bias >= 1 {
            var field = e + bias
            var mantissa = ((a / Float(sign: .plus, exponent: e, significand: 1) - 1) * Float(1 << mantissaBits))
                .rounded(.toNearestOrEven)
            if mantissa == Float(1 << mantissaBits) { mantissa = 0; field += 1 }
            return signBit | UInt8(field << mantissaBits) | UInt8(mantissa)
        }
        let q = (a / Float(sign: .plus, exponent: 1 - bias - mantissaBits, significand: 1)).rounded(.toNearestOrEven)
        return signBit | UInt8(q)
    }
}
