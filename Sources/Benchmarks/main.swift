// `swift run -c release Benchmarks [suite ...]`: figures go to Docs/benchmarks.md.
// Suites: `ops` (TensorCore kernels, the default), `kernel-sets` (sgemm per OpenBLAS kernel set),
// `sgemm`, `compare-conv`, `profile-*` (loops for perf), `models` (model loads and passes),
// `workflow` (the SD1.5 seed workflow end to end at 512x512, 20 steps), `json` (workflow and
// safetensors-header JSON read and written).
import Foundation
import TensorCore

let suites: [String: () -> Void] = [
    "ops": runOpBenchmarks,
    "sgemm": runSgemmOnly,
    "kernel-sets": runKernelSets,
    "profile-attention": { runProfile("attention") },
    "profile-vae-conv": { runProfile("conv3x3 128", seconds: 4) },
    "profile-unet-conv": { runProfile("conv3x3 320", seconds: 3) },
    "profile-sgemm": { runProfile("sgemm") },
    "compare-conv": compareConv,
    "attention-memory": runAttentionMemory,
    "models": runModelBenchmarks,
    "workflow": runWorkflowBenchmark,
    "json": runJSONBenchmarks,
]

let blas = BLASRuntime.configure()
print("BLAS: \(blas)")
print("CPU: \(cpuModelName()), \(Parallel.coreCount) cores")
let requested = CommandLine.arguments.dropFirst().isEmpty ? ["ops"] : Array(CommandLine.arguments.dropFirst())
for name in requested {
    guard let suite = suites[name] else {
        FileHandle.standardError.write("unknown suite '\(name)'; known: \(suites.keys.sorted().joined(separator: ", "))\n".data(using: .utf8)!)
        exit(2)
    }
    suite()
}
