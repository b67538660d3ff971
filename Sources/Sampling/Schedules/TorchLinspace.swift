// Matches PyTorch 2.x CPU `torch.linspace` (aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp,
// the serial kernel) as compiled for the reference machine: the rounding of each value matters.

/// `torch.linspace(start, end, steps)` value by value as torch's CPU kernel rounds it.
///
/// torch computes `step = (end - start) / (steps - 1)` in the tensor's type; element i is
/// `start + step * i` in the first half (i < steps / 2) and `end - step * (steps - 1 - i)` in the
/// second. Its AVX2/AVX-512 kernels are compiled with FMA contraction, so each of those is one
/// fused multiply-add (a single rounding): that is what makes e.g. karras with 21 steps bitwise.
func torchLinspace<T: BinaryFloatingPoint>(_ start: T, _ end: T, count steps: Int) -> [T] {
    guard steps > 1 else { return steps == 1 ? [start] : [] }
    let step = (end - start) / T(steps - 1)
    let halfway = steps / 2
    return (0..<steps).map { i in
        i < halfway ? start.addingProduct(step, T(i)) : end.addingProduct(-step, T(steps - i - 1))
    }
}
