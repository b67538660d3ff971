// The float32 log and sincos that PyTorch's AVX2 normal sampler evaluates (normal_fill_16_AVX2 uses
// avx_mathfun.h's log256_ps / sincos256_ps, vector renditions of Cephes' logf and sinf/cosf),
// written here lane by lane. Matching them, rather than libm, makes torch.randn bit-exact.
// The kernels are compiled with FMA contraction (GCC, -mfma): walking the statements in order,
// each multiply whose only use is an add or subtract becomes one fused multiply-add with it
// (`addingProduct` here); the noise tests confirm the result bit for bit.

enum CephesFloat {
    /// Cephes logf's reduction and polynomial: x = 2^e * m with m in [sqrt(1/2), sqrt 2).
    static func log(_ value: Float) -> Float {
        if !(value > 0) { return .nan }
        let x = max(value, Float(bitPattern: 0x0080_0000))        // no subnormals
        let bits = x.bitPattern
        var e = Float(Int32(bitPattern: bits >> 23) - 0x7F) + 1
        var m = Float(bitPattern: (bits & ~0x7F80_0000) | Float(0.5).bitPattern)   // in [0.5, 1)
        if m < 0.707106781186547524 {
            e -= 1
            m = (m - 1) + m
        } else {
            m -= 1
        }
        let z = m * m
        var y: Float = 7.0376836292E-2
        for c: Float in [-1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
                         -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1] {
            y = c.addingProduct(y, m)
        }
        y = y * m
        y = (e * -2.12194440e-4).addingProduct(y, z)
        y = y.addingProduct(-z, 0.5)
        return (m + y).addingProduct(e, 0.693359375)
    }

    /// Cephes sincosf: reduction by multiples of pi/4 in three parts, then the sine or cosine
    /// polynomial on [-pi/4, pi/4] with the octant's sign. Good for |x| < 8192.
    static func sincos(_ value: Float) -> (sin: Float, cos: Float) {
        var x = abs(value)
        var j = Int32(x * 1.27323954473516)                      // 4 / pi, truncated
        j = (j + 1) & ~1
        let y = Float(j)
        let swapSin = (j & 4) != 0
        let swapPolynomials = (j & 2) != 0
        let swapCos = ((j - 2) & 4) == 0
        x = x.addingProduct(y, -0.78515625)
        x = x.addingProduct(y, -2.4187564849853515625e-4)
        x = x.addingProduct(y, -3.77489497744594108e-8)
        let z = x * x
        var c: Float = 2.443315711809948E-005
        c = Float(-1.388731625493765E-003).addingProduct(c, z)
        c = Float(4.166664568298827E-002).addingProduct(c, z)
        c = c * z
        c = (z * -0.5).addingProduct(c, z) + 1
        var s: Float = -1.9515295891E-4
        s = Float(8.3321608736E-3).addingProduct(s, z)
        s = Float(-1.6666654611E-1).addingProduct(s, z)
        s = x.addingProduct(s * z, x)
        let sine = swapPolynomials ? c : s
        let cosine = swapPolynomials ? s : c
        let sinSign = (value.sign == .minus) != swapSin
        return (sinSign ? -sine : sine, swapCos ? -cosine : cosine)
    }
}
