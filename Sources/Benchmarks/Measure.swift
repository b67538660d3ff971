import Foundation

/// Timing and memory probes for benchmarks (wall clock; Linux /proc for memory).

/// Best wall time of `body` over `repeats` runs after one warm-up, in seconds.
func bestTime(repeats: Int, _ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
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
