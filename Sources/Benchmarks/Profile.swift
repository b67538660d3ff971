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
