import Foundation
import TensorCore

/// `Benchmarks kernel-sets`: sgemm 2048^3 under each OpenBLAS kernel set, each in a child process
/// with OPENBLAS_CORETYPE set (the user's choice wins over BLASRuntime's), next to the automatic
/// choice. Shows what `BLASRuntime.configure()` gains on this CPU.
func runKernelSets() {
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    for core in ["", "Prescott", "Haswell", "SkylakeX"] {
        let child = Process()
        child.executableURL = me
        child.arguments = ["sgemm"]
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_CORETYPE"] = core.isEmpty ? nil : core
        child.environment = env
        let pipe = Pipe()
        child.standardOutput = pipe
        do { try child.run() } catch { print("cannot run \(me.path): \(error)"); return }
        child.waitUntilExit()
        let lines = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        let blasLine = lines.first { $0.hasPrefix("BLAS:") }.map { String($0.prefix(80)) } ?? "?"
        print("\(core.isEmpty ? "automatic" : "OPENBLAS_CORETYPE=\(core)"): \(lines.last ?? "?")    [\(blasLine)]")
    }
}

/// `Benchmarks sgemm`: the sgemm case alone (one line).
func runSgemmOnly() {
    guard let c = OpCase.standard.first(where: { if case .sgemm = $0.kind { return true } else { return false } }) else { return }
    let (t, cpu) = bestTime(repeats: 5, prepare(c))
    print(String(format: "sgemm 2048^3: %.1f GFLOP/s wall, %.1f GFLOP/cpu-s", c.flops / t / 1e9, c.flops / cpu / 1e9))
}
