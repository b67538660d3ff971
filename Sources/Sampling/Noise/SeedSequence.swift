// Matches numpy 1.17+ numpy.random.SeedSequence (numpy/random/bit_generator.pyx): entropy pooling
// with the hashmix/mix functions, and generate_state(n) as uint32 words. torchsde seeds every
// Brownian-tree node's torch generator with these words.

/// numpy's `SeedSequence(entropy, spawn_key=..., pool_size=...)`.
struct SeedSequence {
    private static let initA: UInt32 = 0x43B0_D7E5, multA: UInt32 = 0x931E_8875
    private static let initB: UInt32 = 0x8B51_F9DD, multB: UInt32 = 0x58F3_8DED
    private static let mixMultL: UInt32 = 0xCA01_F9DD, mixMultR: UInt32 = 0x4973_F715

    private(set) var pool: [UInt32]

    init(entropy: UInt64, spawnKey: [UInt64] = [], poolSize: Int = 4) {
        var run = Self.words(entropy)
        let spawn = spawnKey.flatMap(Self.words)
        // numpy pads the run entropy with zeros to the pool size when a spawn key follows.
        if !spawn.isEmpty && run.count < poolSize { run += [UInt32](repeating: 0, count: poolSize - run.count) }
        pool = Self.mixed(poolSize: poolSize, entropy: run + spawn)
    }

    /// `generate_state(n)` with dtype uint32.
    func generateState(_ count: Int) -> [UInt32] {
        var hashConst = Self.initB
        return (0..<count).map { i in
            var value = pool[i % pool.count]
            value ^= hashConst
            hashConst = hashConst &* Self.multB
            value = value &* hashConst
            value ^= value >> 16
            return value
        }
    }

    /// `_int_to_uint32_array`: little-endian 32-bit words, [0] for zero.
    private static func words(_ n: UInt64) -> [UInt32] {
        if n == 0 { return [0] }
        var n = n, out: [UInt32] = []
        while n > 0 { out.append(UInt32(truncatingIfNeeded: n)); n >>= 32 }
        return out
    }

    private static func mixed(poolSize: Int, entropy: [UInt32]) -> [UInt32] {
        var hashConst = initA
        func hashmix(_ value: UInt32) -> UInt32 {
            var value = value ^ hashConst
            hashConst = hashConst &* multA
            value = value &* hashConst
            return value ^ (value >> 16)
        }
        func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
            let result = mixMultL &* x &- mixMultR &* y
            return result ^ (result >> 16)
        }
        var pool = (0..<poolSize).map { i in hashmix(i < entropy.count ? entropy[i] : 0) }
        for source in 0..<poolSize {
            for destination in 0..<poolSize where source != destination {
                pool[destination] = mix(pool[destination], hashmix(pool[source]))
            }
        }
        for source in poolSize..<max(poolSize, entropy.count) {
            for destination in 0..<poolSize {
                pool[destination] = mix(pool[destination], hashmix(entropy[source]))
            }
        }
        return pool
    }
}
