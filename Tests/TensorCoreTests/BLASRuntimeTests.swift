import Foundation
import Testing
@testable import TensorCore

/// Oracle: the CPU's own feature list (/proc/cpuinfo). On a CPU with AVX-512 and no user override
/// (`OPENBLAS_CORETYPE`, or `SWIFTCOMFY_ISA` below avx512), OpenBLAS must run its AVX-512 kernels
/// and TensorKernels its AVX-512 loops; elsewhere the status must say why not. (The products
/// themselves are checked by MatmulTests after the switch.)
@Test func blasRunsAVX512KernelsWhenTheCPUHasThem() {
    let status = BLASRuntime.configure()
    let environment = ProcessInfo.processInfo.environment
    let userChoice = environment["OPENBLAS_CORETYPE"].map { !$0.isEmpty } ?? false
    let capped = environment["SWIFTCOMFY_ISA"].map { !$0.isEmpty && $0 != "avx512" } ?? false
    if capped {
        #expect(status.kernelISA == environment["SWIFTCOMFY_ISA"] || status.kernelISA == "generic", "\(status)")
    }
    if BLASRuntime.cpuHasAVX512() && !userChoice && !capped {
        #expect(BLASRuntime.avx512Cores.contains(status.coreName.lowercased()), "\(status)")
        #expect(status.kernelISA == "avx512", "\(status)")
    } else {
        #expect(!status.reason.isEmpty)
    }
    #expect(status.coreName == BLASRuntime.currentCoreName())
}
