// Matches PyTorch 2.x CPU `torch.linspace` (aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp) on
// an AVX-512 build, the reference machine's capability: the rounding of each value depends on it.

/// `torch.linspace(start, end, steps)` value by value as torch's CPU kernel rounds it.
///
/// torch computes `step = (end - start) / (steps - 1)` in the tensor's type, then element i is
/// `start + step * i` in the first half and `end - step * (steps - 1 - i)` in the second. Its
/// vectorised loop covers whole pairs of SIMD vectors (`lanes` values each: 16 floats or 8 doubles
/// with AVX-512); inside one vector lane k is `base + k * step`, where `base` is the formula's
/// value for the vector's first element, chosen by which half that first element lies in.
/// The remainder after the last pair of vectors takes the scalar formula.
func torchLinspace<T: BinaryFloatingPoint>(_ start: T, _ end: T, count steps: Int, lanes: Int) -> [T] {
    guard steps > 1 else { return steps == 1 ? [start] : [] }
    let step = (end - start) / T(steps - 1)
    let halfway = steps / 2
    func scalar(_ i: Int) -> T { i < halfway ? start + step * T(i) : end - step * T(steps - i - 1) }
    var out = [T](repeating: 0, count: steps)
    var i = 0
    while i + 2 * lanes <= steps {
        for vector in 0..<2 {
            let first = i + vector * lanes
            let base = scalar(first)
            for k in 0..<lanes { out[first + k] = base + T(k) * step }
        }
        i += 2 * lanes
    }
    while i < steps { out[i] = scalar(i); i += 1 }
    return out
}

/// Lanes per AVX-512 vector for torch's Float and Double kernels.
enum TorchLanes {
    static let float = 16
    static let double = 8
}
