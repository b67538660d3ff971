// swift-tools-version:6.0
// SwiftComfy: runs ComfyUI workflows on the CPU.
// Data flow, top to bottom (dependencies point down this list only):
//   swiftcomfy (CLI) -> Runner -> Nodes -> Execution -> Workflow -> JSON   (JSON in, graph, schedule)
//                       Nodes -> Models, Sampling, ImageIO  (the numeric work)
//                       Models -> Checkpoint -> TensorCore -> COpenBLAS   (Checkpoint -> JSON: headers)
//                       ImageIO -> CPNG
import PackageDescription

let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "SwiftComfy",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "swiftcomfy", targets: ["swiftcomfy"]),
        .executable(name: "Benchmarks", targets: ["Benchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),   // LogHandler.log(event:)
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // System libraries (apt: libopenblas-dev, libpng-dev, pkg-config).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Numeric core.
        .target(name: "TensorKernels"),   // C: vector exp for softmax and activations (AVX-512/AVX2, chosen at run time)
        .target(name: "TensorCore", dependencies: ["COpenBLAS", "TensorKernels"]),
        .target(name: "Checkpoint", dependencies: ["TensorCore", "JSON"], swiftSettings: v5),
        .target(name: "Fixtures", dependencies: ["Checkpoint"],
                resources: [.copy("Resources")], swiftSettings: v5),
        .target(name: "Models", dependencies: ["TensorCore", "Checkpoint", "CZlib",
                                               .product(name: "Logging", package: "swift-log")],
                resources: [.copy("Resources")], swiftSettings: v5),
        .target(name: "Sampling", dependencies: ["TensorCore"]),
        .target(name: "ImageIO", dependencies: ["CPNG"]),

        // JSON: one reader and writer for workflows, prompts and safetensors headers (no dependencies).
        .target(name: "JSON"),

        // Graph side.
        .target(name: "Workflow", dependencies: ["JSON", .product(name: "Yams", package: "Yams")],
                resources: [.copy("Resources")], swiftSettings: v5),
        .target(name: "Execution", dependencies: ["Workflow"]),
        .target(name: "Nodes", dependencies: ["Workflow", "Execution", "Models", "Sampling", "ImageIO",
                                              "Checkpoint", "TensorCore",
                                              .product(name: "Logging", package: "swift-log")],
                swiftSettings: v5),

        // What `swiftcomfy run` does, as a library: validation + execution + progress text + the seed
        // workflow. The demo's fixture models (Fixtures) are the CLI's business.
        .target(name: "Runner", dependencies: ["Nodes", "Workflow", "Execution"],
                resources: [.copy("Resources")], swiftSettings: v5),

        // Executables.
        .executableTarget(name: "swiftcomfy", dependencies: [
            "Runner", "Nodes", "Workflow", "Execution", "Fixtures",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: v5),
        .executableTarget(name: "Benchmarks", dependencies: [
            "TensorCore", "Fixtures", "Models", "Runner", "Workflow", "Execution",
        ], swiftSettings: v5),

        // Tests: one target per source target, plus shared support.
        .target(name: "TestSupport", dependencies: ["TensorCore", "Checkpoint", "Fixtures", "CZlib"],
                path: "Tests/TestSupport", swiftSettings: v5),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint", "Fixtures", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: v5),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution", "Workflow"], swiftSettings: v5),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Fixtures", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "NodesTests", dependencies: ["Nodes", "Runner", "Workflow", "Execution", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "TestSupport"], swiftSettings: v5),
    ]
)
