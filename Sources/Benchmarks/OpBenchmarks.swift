import Foundation
import TensorCore

/// `Benchmarks ops`: every case of `OpCase.standard` at full size, best of several runs. Compute-bound
/// cases print GFLOP/s and their ratio to the sgemm figure of the same run; memory-bound ones GB/s.
/// "cpu ms" is the process CPU time of the best run (all threads): on a shared machine GFLOP per
/// CPU-second shows each kernel's efficiency even when another process takes a core.
func runOpBenchmarks() {
    print("load average: \((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.prefix(14) ?? "?")")
    var sgemmRate: Double?
    print(pad("case", 36) + pad("time ms", 10) + pad("GFLOP/s", 10) + pad("GB/s", 8) + pad("vs sgemm", 10)
          + pad("cpu ms", 10) + pad("GFLOP/cpu-s", 12) + "peak MB")
    for c in OpCase.standard {
        let run = prepare(c)
        let before = residentBytes()
        resetPeakResident()
        let (t, cpu) = bestTime(repeats: c.flops > 5e10 ? 6 : 10, run)
        let peakMB = (peakResidentBytes() - before) / 1e6
        let gflops = c.flops / t / 1e9
        if case .sgemm = c.kind { sgemmRate = gflops }
        let ratio: String
        switch c.kind {
        case .conv2d, .attention: ratio = sgemmRate.map { String(format: "%.0f%%", 100 * gflops / $0) } ?? "-"
        default: ratio = "-"
        }
        let gbs = c.bytes > 0 ? String(format: "%.1f", c.bytes / t / 1e9) : "-"
        print(pad(c.name, 36) + pad(String(format: "%.2f", t * 1e3), 10) + pad(String(format: "%.1f", gflops), 10)
              + pad(gbs, 8) + pad(ratio, 10) + pad(String(format: "%.2f", cpu * 1e3), 10)
              + pad(String(format: "%.1f", c.flops / cpu / 1e9), 12) + String(format: "%.0f", max(0, peakMB)))
    }
}

/// Builds the inputs of a case and returns the call to time.
func prepare(_ c: OpCase) -> () -> Void {
    func random(_ shape: [Int]) -> Tensor {
        var state: UInt32 = 12345
        let n = shape.reduce(1, *)
        var t = Tensor(shape: shape, uninitialized: ())
        t.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { state = state &* 1664525 &+ 1013904223; p[i] = Float(state >> 8) / Float(1 << 23) - 1 }
        }
        return t
    }
    switch c.kind {
    case let .sgemm(m, n, k):
        let a = random([m, k]), b = random([k, n])
        return { _ = matmul(a, b) }
    case let .conv2d(batch, cin, cout, size, kernel, stride):
        let x = random([batch, cin, size, size]), w = random([cout, cin, kernel, kernel]), bias = random([cout])
        return { _ = conv2d(x, weight: w, bias: bias, stride: stride, padding: kernel / 2) }
    case let .attention(batch, heads, tokens, dim):
        let q = random([batch, tokens, heads * dim]), k = random([batch, tokens, heads * dim]), v = random([batch, tokens, heads * dim])
        return { _ = attention(q: q, k: k, v: v, heads: heads) }
    case let .groupNorm(shape, groups):
        let x = random(shape), w = random([shape[1]]), b = random([shape[1]])
        return { _ = groupNorm(x, groups: groups, weight: w, bias: b, eps: 1e-5) }
    case let .silu(count):
        let x = random([count])
        return { _ = silu(x) }
    }
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
