import Foundation
import Testing
@testable import TensorCore

/// Oracle: the CPU's own feature list (/proc/cpuinfo). On a CPU with AVX-512 and no user override,
/// OpenBLAS must run its AVX-512 kernels and TensorKernels its AVX-512 loops; elsewhere the status
/// must say why not. (The products themselves are checked by MatmulTests after the switch.)
@Test func blasRunsAVX512KernelsWhenTheCPUHasThem() {
    let status = BLASRuntime.configure()
    let userChoice = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { !$0.isEmpty } ?? false
    if BLASRuntime.cpuHasAVX512() && !userChoice {
        #expect(BLASRuntime.avx512Cores.contains(status.coreName.lowercased()), "\(status)")
        #expect(status.kernelISA == "avx512", "\(status)")
    } else {
        #expect(!status.reason.isEmpty)
    }
    #expect(status.coreName == BLASRuntime.currentCoreName())
}
