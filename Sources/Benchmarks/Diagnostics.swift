import TensorCore

/// `Benchmarks profile <case-prefix>`: runs one `OpCase.standard` case in a loop, for `perf record`.
func runProfile(_ prefix: String, seconds: Double = 10) {
    guard let c = OpCase.standard.first(where: { $0.name.hasPrefix(prefix) }) else {
        print("no case starts with '\(prefix)'")
        return
    }
    let run = prepare(c)
    let start = processCPUSeconds()
    var n = 0
    while processCPUSeconds() - start < seconds { run(); n += 1 }
    print("\(c.name): \(n) runs, \(String(format: "%.1f", c.flops * Double(n) / (processCPUSeconds() - start) / 1e9)) GFLOP/cpu-s")
}

/// `Benchmarks compare-conv`: the direct 3x3 kernel against the im2col path, alternating, same inputs.
func compareConv() {
    for c in OpCase.standard {
        guard case let .conv2d(batch, cin, cout, size, kernel, stride) = c.kind else { continue }
        func random(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Float(($0 * 7919) % 1000) / 500 - 1 })
        }
        let x = random([batch, cin, size, size]), w = random([cout, cin, kernel, kernel]), b = random([cout])
        for round in 0..<3 {
            for direct in [true, false] {
                let (t, cpu) = bestTime(repeats: 1) { _ = conv2d(x, weight: w, bias: b, stride: stride, padding: 1, direct: direct) }
                print("\(c.name) round \(round) direct=\(direct): wall \(String(format: "%.1f", c.flops / t / 1e9)), "
                      + "cpu \(String(format: "%.1f", c.flops / cpu / 1e9)) GFLOP/s")
            }
        }
    }
}

/// `Benchmarks attention-memory` (run it alone, in a fresh process, so freed-but-kept heap from other
/// cases cannot hide allocations): resident-memory growth of one 4096-token attention call
/// beyond its inputs. The output alone is 2 x 4096 x 320 floats = 10.5 MB.
func runAttentionMemory() {
    guard let c = OpCase.standard.first(where: { if case .attention = $0.kind { return true } else { return false } }) else { return }
    let run = prepare(c)
    let before = residentBytes()
    resetPeakResident()
    run()
    print(String(format: "%@: peak resident growth %.1f MB (scores for all heads at once would be %.0f MB)",
                 c.name, (peakResidentBytes() - before) / 1e6, 2.0 * 8 * 4096 * 4096 * 4 / 1e6))
}
