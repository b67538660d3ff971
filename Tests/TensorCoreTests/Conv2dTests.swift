import Testing
import TestSupport
@testable import TensorCore

/// Oracle: a hand-computed 3x3 case and `Naive.conv2d` (direct Double loops).
/// Tolerance: absolute 1e-5 · fan-in (fp32 GEMM vs Double; inputs in [-1, 1)).

@Test func conv2dHandChecked() {
    // 3x3 box filter on a 3x3 image of ones, padding 1: corner 4, edge 6, centre 9.
    let y = conv2d(Tensor.ones([1, 1, 3, 3]), weight: Tensor.ones([1, 1, 3, 3]), bias: Tensor(shape: [1], scalars: [0.5]), padding: 1)
    #expect(y.scalars == [4, 6, 4, 6, 9, 6, 4, 6, 4].map { $0 + 0.5 })
}

struct ConvCase: CustomTestStringConvertible, Sendable {
    let x: [Int], cout: Int, kernel: Int, stride: Int, padding: Int
    var testDescription: String { "x\(x) -> \(cout) k\(kernel) s\(stride) p\(padding)" }
}

@Test(arguments: [
    ConvCase(x: [2, 5, 9, 11], cout: 7, kernel: 3, stride: 1, padding: 1),
    ConvCase(x: [1, 4, 10, 10], cout: 3, kernel: 3, stride: 2, padding: 0),   // VAE downsample after pad
    ConvCase(x: [1, 4, 9, 8], cout: 6, kernel: 3, stride: 2, padding: 1),     // UNet downsample
    ConvCase(x: [2, 6, 5, 7], cout: 4, kernel: 1, stride: 1, padding: 0),
    ConvCase(x: [1, 3, 6, 6], cout: 2, kernel: 1, stride: 2, padding: 1),
])
func conv2dMatchesNaive(_ c: ConvCase) {
    let x = randomTensor(c.x, seed: 11), w = randomTensor([c.cout, c.x[1], c.kernel, c.kernel], seed: 12)
    let bias = randomTensor([c.cout], seed: 13)
    let y = conv2d(x, weight: w, bias: bias, stride: c.stride, padding: c.padding)
    let e = Naive.conv2d(x, w, bias, stride: c.stride, padding: c.padding)
    #expect(closeness(y, e, absolute: 1e-5 * Float(c.x[1] * c.kernel * c.kernel)) == nil)
}

/// The direct 3x3 kernel (rows of 32+ pixels, on AVX-512 CPUs) and the im2col path, against the
/// twin: row widths around the 32-pixel tile, channel counts around the 8-channel tile, paddings 0-2.
@Test(arguments: [(cin: 5, cout: 11, h: 6, w: 40, padding: 1), (cin: 3, cout: 8, h: 4, w: 64, padding: 1),
                  (cin: 2, cout: 3, h: 5, w: 35, padding: 0), (cin: 4, cout: 9, h: 3, w: 31, padding: 2)])
func conv3x3PathsMatchNaive(_ c: (cin: Int, cout: Int, h: Int, w: Int, padding: Int)) {
    let x = randomTensor([2, c.cin, c.h, c.w], seed: 16), w = randomTensor([c.cout, c.cin, 3, 3], seed: 17)
    let bias = randomTensor([c.cout], seed: 18)
    let e = Naive.conv2d(x, w, bias, stride: 1, padding: c.padding)
    for direct in [true, false] {
        let y = conv2d(x, weight: w, bias: bias, stride: 1, padding: c.padding, direct: direct)
        #expect(closeness(y, e, absolute: 1e-5 * Float(c.cin * 9)) == nil, "direct: \(direct)")
    }
    let noBias = conv2d(x, weight: w, bias: nil, stride: 1, padding: c.padding, direct: true)
    #expect(closeness(noBias, Naive.conv2d(x, w, nil, stride: 1, padding: c.padding), absolute: 1e-5 * Float(c.cin * 9)) == nil)
}

/// Bands: the image is taller than one im2col band, so several bands must join seamlessly.
@Test func conv2dAcrossBands() {
    let x = randomTensor([1, 16, 200, 160], seed: 14), w = randomTensor([4, 16, 3, 3], seed: 15)
    #expect(16 * 9 * 200 * 160 > im2colBudget)
    let y = conv2d(x, weight: w, bias: nil, padding: 1)
    #expect(closeness(y, Naive.conv2d(x, w, nil, stride: 1, padding: 1), absolute: 1e-5 * 144) == nil)
}

@Test func padAsymmetric() {
    let x = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
    let y = pad(x, left: 0, right: 1, top: 0, bottom: 1)
    #expect(y.shape == [1, 1, 3, 3])
    #expect(y.scalars == [1, 2, 0, 3, 4, 0, 0, 0, 0])
    #expect(pad(x, left: 1, right: 0, top: 1, bottom: 0, value: -1).scalars == [-1, -1, -1, -1, 1, 2, -1, 3, 4])
}
