// The Beta distribution's quantile function, as scipy.stats.beta.ppf computes it (to a few ULPs),
// for ComfyUI 0.8.0's beta scheduler (comfy/samplers.py beta_scheduler).
import Foundation

enum BetaDistribution {
    /// The regularized incomplete beta function I_x(a, b), by its continued fraction (modified
    /// Lentz), using I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly.
    static func cdf(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = a * log(x) + b * log1p(-x) - logBeta(a, b)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a: a, b: b) / a
        }
        let logFrontSwapped = b * log1p(-x) + a * log(x) - logBeta(b, a)
        return 1 - exp(logFrontSwapped) * continuedFraction(1 - x, a: b, b: a) / b
    }

    /// The quantile: the x in [0, 1] with I_x(a, b) = p, by bisection down to adjacent doubles
    /// (I_x is monotone), keeping the end whose I_x is nearer p. Symmetric distributions return exactly 0.5 at p = 0.5, as
    /// scipy does (beta_scheduler rounds 0.5 * 999 = 499.5 half-to-even, so this matters).
    static func quantile(_ p: Double, a: Double, b: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        if a == b && p == 0.5 { return 0.5 }
        var low = 0.0, high = 1.0
        for _ in 0..<1100 {
            let mid = low + (high - low) / 2
            if mid <= low || mid >= high { break }
            if cdf(mid, a: a, b: b) < p { low = mid } else { high = mid }
        }
        return cdf(high, a: a, b: b) - p < p - cdf(low, a: a, b: b) ? high : low
    }

    private static func logBeta(_ a: Double, _ b: Double) -> Double {
        lgamma(a) + lgamma(b) - lgamma(a + b)
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }
}
