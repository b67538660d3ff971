import Foundation

/// Timing and memory probes for benchmarks (wall clock; Linux /proc for memory).

/// Best wall time of `body` over `repeats` runs after one warm-up, and the process CPU time of
/// that run (all threads), in seconds. On a busy machine CPU time shows what the wall time hides.
func bestTime(repeats: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
    body()
    var best = (wall: Double.infinity, cpu: Double.infinity)
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds, cpu0 = processCPUSeconds()
        body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if wall < best.wall { best = (wall, processCPUSeconds() - cpu0) }
    }
    return best
}

func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(0, &usage)   // 0 = RUSAGE_SELF
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Resets the kernel's peak-RSS mark (VmHWM) so `peakResidentBytes` measures from here.
func resetPeakResident() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// Peak resident set size since start or the last `resetPeakResident`, in bytes.
func peakResidentBytes() -> Double { procStatusKB("VmHWM:") * 1024 }
func residentBytes() -> Double { procStatusKB("VmRSS:") * 1024 }

private func procStatusKB(_ field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return .nan }
    return Double(line.split(separator: " ").dropFirst().first ?? "") ?? .nan
}

func cpuModelName() -> String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
          let name = line.split(separator: ":").last else { return "unknown CPU" }
    return name.trimmingCharacters(in: .whitespaces)
}
