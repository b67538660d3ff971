/// Matches ../shared/reference/make_fixtures.py `fnv1a64`, `uniform` and `tensor`: the values of
/// every fixture tensor, a pure function of (key, element index, seed).
public enum FixtureRandom {
    /// FNV-1a 64 over the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The stream base of tensor `name`: `fnv1a64(name) ^ seed` (seed as 64-bit two's complement,
    /// like Python's `seed & 0xFFFFFFFFFFFFFFFF`).
    public static func base(_ name: String, seed: Int) -> UInt64 {
        fnv1a64(name) ^ UInt64(bitPattern: Int64(seed))
    }

    /// Element `index` of the stream, in [-1, 1): splitmix64 of `base + (index + 1) * golden`,
    /// top 24 bits as u in [0, 1), then 2u - 1. That value is (k - 2^23) / 2^23 for a 24-bit k, so
    /// it is exact in Float32 and equals numpy's float64 -> float32 cast.
    @inlinable @inline(__always)
    public static func uniform(base: UInt64, index: Int) -> Float {
        var z = base &+ UInt64(truncatingIfNeeded: index + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(Int32(truncatingIfNeeded: z >> 40) &- (1 << 23)) * 0x1p-23
    }
}

/// How the values of one fixture tensor are made from its stream (`v` in [-1, 1)).
public enum FixtureValues: Sendable, Equatable {
    /// `Float(center) + Float(scale) * v`, in Float32 as numpy does (`np.float32(center) +
    /// np.float32(scale) * v`); center and scale are computed in Float64 first.
    case affine(center: Double, scale: Double)
    /// `1.0 + 0.05 * v`: numpy (NEP 50, and value-based casting before it) keeps a float32 array
    /// float32 against Python float scalars, so this is `Float(1) + Float(0.05) * v` in Float32.
    case doraScale
    /// One value for every element (LoRA `alpha`).
    case constant(Float)

    /// make_fixtures.py `init_rule`: weights (rank >= 2) get scale sqrt(3 / fan_in); 1-D (or 0-D)
    /// `.weight` keys are norm gains 1 +- 0.1; everything else 0 +- 0.02.
    public static func checkpointRule(key: String, shape: [Int]) -> FixtureValues {
        if shape.count >= 2 {
            let fanIn = shape.dropFirst().reduce(1, *)
            return .affine(center: 0, scale: (3.0 / Double(fanIn)).squareRoot())
        }
        if key.split(separator: ".", omittingEmptySubsequences: false).last == "weight" {
            return .affine(center: 1, scale: 0.1)
        }
        return .affine(center: 0, scale: 0.02)
    }

    /// make_fixtures.py `flux_rule`: `checkpointRule`, plus 1-D `.scale` keys (the Flux DiT's
    /// RMSNorm gains) are norm gains 1 +- 0.1.
    public static func fluxRule(key: String, shape: [Int]) -> FixtureValues {
        if shape.count == 1 && key.split(separator: ".", omittingEmptySubsequences: false).last == "scale" {
            return .affine(center: 1, scale: 0.1)
        }
        return checkpointRule(key: key, shape: shape)
    }

    /// make_fixtures.py `cmd_lora` `small`: 0 +- 0.5 / sqrt(prod(shape[1:])).
    public static func loraRule(shape: [Int]) -> FixtureValues {
        .affine(center: 0, scale: 0.5 / Double(shape.dropFirst().reduce(1, *)).squareRoot())
    }

    /// Writes the values of elements `range` of the tensor whose stream starts at `base`.
    @inlinable
    public func generate(base: UInt64, range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case let .affine(center, scale):
            let c = Float(center), s = Float(scale)
            for i in range { out[i - range.lowerBound] = c + s * FixtureRandom.uniform(base: base, index: i) }
        case .doraScale:
            let c: Float = 1, s: Float = 0.05
            for i in range { out[i - range.lowerBound] = c + s * FixtureRandom.uniform(base: base, index: i) }
        case .constant(let value):
            (out).update(repeating: value, count: range.count)
        }
    }
}
