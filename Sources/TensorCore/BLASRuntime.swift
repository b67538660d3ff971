import COpenBLAS
import Foundation
import TensorKernels
#if canImport(Glibc)
import Glibc
#endif

/// Chooses OpenBLAS's kernel set once per process: the one entry point is `BLASRuntime.configure()`.
///
/// Debian's OpenBLAS 0.3.21 (a DYNAMIC_ARCH build) picks its kernels in a load-time constructor and
/// does not know AMD Zen 4/5, so it runs AVX2 ("Haswell") kernels on CPUs with AVX-512 at half the
/// speed. Its `OPENBLAS_CORETYPE` variable is read only in that constructor, too early for us to set
/// it. But the library exports the pair the constructor uses, `gotoblas_dynamic_quit` and
/// `gotoblas_dynamic_init`: with the variable set, quit + init selects the table again through
/// OpenBLAS's own code path (`force_coretype`, then the table's `init` sizing its blocking). We do
/// this only when
///   - the user has not set `OPENBLAS_CORETYPE` (theirs wins), nor capped TensorCore's kernels below
///     AVX-512 with `SWIFTCOMFY_ISA` (the tests' forced runs stand in for a machine without it),
///   - the kernel lists AVX-512 F, CD, BW, DQ and VL in /proc/cpuinfo (Linux lists a feature only
///     when the OS also saves its registers), which the SkylakeX kernels need,
///   - the active core is not already an AVX-512 one (newer OpenBLAS knows Zen 4/5),
///   - both symbols exist (a non-dynamic or other BLAS build simply keeps its kernels).
/// It must run before any BLAS call is in flight; every TensorCore op that calls BLAS runs it first
/// (once, thread-safe), and executables call it at start to log the result.
public enum BLASRuntime {
    public struct Status: Sendable, CustomStringConvertible {
        /// The active kernel set (`openblas_get_corename`), e.g. "SkylakeX" or "Haswell".
        public let coreName: String
        /// The kernel set OpenBLAS chose by itself at load time.
        public let detectedCoreName: String
        /// Why the kernel set is what it is.
        public let reason: String
        /// OpenBLAS's build description (`openblas_get_config`).
        public let config: String
        /// The instruction set of TensorCore's own C kernels ("avx512", "avx2" or "generic").
        public let kernelISA: String

        public var description: String {
            "OpenBLAS core \(coreName) (\(reason)); \(config); TensorCore kernels \(kernelISA), "
                + "\(Parallel.coreCount) threads"
        }
    }

    /// Selects the kernels (first call only) and reports the active set.
    @discardableResult
    public static func configure() -> Status { status }

    private static let status: Status = {
        let s = select()
        openblas_set_num_threads(1)     // TensorCore parallelizes around BLAS calls (see parallelSgemm)
        return s
    }()

    /// AVX-512 kernel sets of OpenBLAS (the names `openblas_get_corename` returns).
    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]

    private static func select() -> Status {
        let detected = currentCoreName()
        func status(_ reason: String) -> Status {
            Status(coreName: currentCoreName(), detectedCoreName: detected, reason: reason,
                   config: String(cString: openblas_get_config()), kernelISA: String(cString: tk_isa()))
        }
        if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !forced.isEmpty {
            return status("OPENBLAS_CORETYPE=\(forced) set by the user")
        }
        if avx512Cores.contains(detected.lowercased()) { return status("OpenBLAS detected AVX-512 itself") }
        if let cap = ProcessInfo.processInfo.environment["SWIFTCOMFY_ISA"], cap != "avx512", !cap.isEmpty {
            return status("SWIFTCOMFY_ISA=\(cap): OpenBLAS's own choice")
        }
        guard cpuHasAVX512() else { return status("no AVX-512 on this CPU: OpenBLAS's own choice") }
        guard let handle = dlopen(nil, RTLD_NOW),
              let quit = dlsym(handle, "gotoblas_dynamic_quit"), let initialize = dlsym(handle, "gotoblas_dynamic_init")
        else { return status("CPU has AVX-512 but this OpenBLAS cannot switch kernels (not a DYNAMIC_ARCH build)") }
        typealias VoidFunction = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 1)
        unsafeBitCast(quit, to: VoidFunction.self)()
        unsafeBitCast(initialize, to: VoidFunction.self)()
        let now = currentCoreName()
        return status(now.lowercased() == "skylakex"
            ? "switched from \(detected): CPU has AVX-512" : "switch to SkylakeX failed, OpenBLAS chose \(now)")
    }

    static func currentCoreName() -> String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// True when /proc/cpuinfo lists every AVX-512 subset the SkylakeX kernels use.
    static func cpuHasAVX512() -> Bool {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    }
}
