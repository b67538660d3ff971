import Foundation
import Testing
import TestSupport
@testable import TensorCore

/// The benchmark table `OpCase.standard`, each case shrunk (`reduced`) and checked against its
/// plain-loop twin with the tolerance the table states, so every benchmarked kernel is also tested.
/// GEMM and convolution tolerances are 1e-5 · fan-in at both sizes (as MatmulTests, Conv2dTests):
/// the full-size 1e-5 · 2048 would pass a reduced K = 300 GEMM far off.
@Test(arguments: OpCase.standard)
func benchmarkCaseMatchesTwin(_ full: OpCase) throws {
    let c = full.reduced
    if let fanIn = c.fanIn, let fullFanIn = full.fanIn {
        #expect(abs(c.tolerance - 1e-5 * Float(fanIn)) <= 1e-6 * c.tolerance, "\(c.name): \(c.tolerance) for fan-in \(fanIn)")
        #expect(abs(full.tolerance - 1e-5 * Float(fullFanIn)) <= 1e-6 * full.tolerance, "\(full.name): \(full.tolerance)")
    }
    let (actual, expected) = run(c)
    var worst: Float = 0
    for (a, e) in zip(actual.scalars, expected.scalars) { worst = max(worst, abs(a - e)) }
    print("op case \(c.name) reduced: max |diff| \(worst) (tolerance \(c.tolerance))")
    #expect(closeness(actual, expected, absolute: c.tolerance) == nil, "\(c.name)")
}

private func run(_ c: OpCase) -> (Tensor, Tensor) {
    switch c.kind {
    case let .sgemm(m, n, k):
        let a = randomTensor([m, k], seed: 71), b = randomTensor([k, n], seed: 72)
        return (matmul(a, b), Tensor(shape: [m, n], scalars: Naive.matmul(a.scalars, b.scalars, m: m, n: n, k: k)))
    case let .conv2d(batch, cin, cout, size, kernel, stride):
        let x = randomTensor([batch, cin, size, size], seed: 73), w = randomTensor([cout, cin, kernel, kernel], seed: 74)
        let b = randomTensor([cout], seed: 75)
        return (conv2d(x, weight: w, bias: b, stride: stride, padding: kernel / 2),
                Naive.conv2d(x, w, b, stride: stride, padding: kernel / 2))
    case let .attention(batch, heads, tokens, dim):
        let q = randomTensor([batch, tokens, heads * dim], seed: 76), k = randomTensor([batch, tokens, heads * dim], seed: 77)
        let v = randomTensor([batch, tokens, heads * dim], seed: 78)
        return (attention(q: q, k: k, v: v, heads: heads), Naive.attention(q, k, v, heads: heads))
    case let .groupNorm(shape, groups):
        let x = randomTensor(shape, seed: 79), w = randomTensor([shape[1]], seed: 80), b = randomTensor([shape[1]], seed: 81)
        return (groupNorm(x, groups: groups, weight: w, bias: b, eps: 1e-5), Naive.groupNorm(x, groups: groups, w, b, eps: 1e-5))
    case let .silu(count):
        let x = randomTensor([count], seed: 82, scale: 8)
        return (silu(x), Tensor(shape: [count], scalars: x.scalars.map { Float(Double($0) / (1 + Foundation.exp(-Double($0)))) }))
    }
}
