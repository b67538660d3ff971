// Matches PyTorch's CPU generator engine (aten/src/ATen/core/MT19937RNGEngine.h): the standard
// 32-bit MT19937, seeded with `init_genrand` from the low 32 bits of the seed.

/// The 32-bit Mersenne Twister (Matsumoto & Nishimura 1998), as `std::mt19937` and `at::mt19937`.
public struct MersenneTwister: Sendable {
    private static let n = 624, m = 397
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// Seeds with `init_genrand(seed & 0xFFFFFFFF)`: torch keeps only the low 32 bits, so seeds
    /// that differ above bit 31 give the same stream.
    public init(seed: UInt64) {
        state[0] = UInt32(truncatingIfNeeded: seed)
        for j in 1..<Self.n {
            let previous = state[j - 1]
            state[j] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(j)
        }
        index = Self.n
    }

    /// The next 32-bit output.
    public mutating func next() -> UInt32 {
        if index >= Self.n { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let n = Self.n, m = Self.m
        state.withUnsafeMutableBufferPointer { s in
            for i in 0..<n {
                let y = (s[i] & 0x8000_0000) | (s[(i + 1) % n] & 0x7FFF_FFFF)
                var v = s[(i + m) % n] ^ (y >> 1)
                if y & 1 != 0 { v ^= 0x9908_B0DF }
                s[i] = v
            }
        }
        index = 0
    }
}
