// swift-tools-version:6.0
import PackageDescription

// Dependencies are kept lean on purpose: argument-parser is the only Swift package
// (the CLI); every codec and archive format goes through Debian's C libraries.
let package = Package(
    name: "dataprep",
    products: [
        .library(name: "DataPrep", targets: ["DataPrep"]),
        .library(name: "Augment", targets: ["Augment"]),
        .library(name: "Train", targets: ["Train"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        .executable(name: "dataprep", targets: ["dataprep"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, each behind a `C`-prefixed target.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libdeflate inflates whole buffers 2-3x faster than zlib (MNIST's .gz path); zlib stays
        // for streaming (tar.gz) and for every error report.
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // libjpeg / libpng report errors by longjmp or exit(): these shims own the setjmp.
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),
        // Linux system calls Glibc's Swift module does not expose (renameat2 for folder swaps).
        .target(name: "CSys"),
        .target(name: "CHash"),
        // AVX2 bilinear warp spans, chosen at run time by CPUID (bit-identical to the Swift loop).
        // The training engine's own hot loops, compiled for SSE2, AVX2 and AVX-512 and chosen
        // at run time (bit-identical at every level; DATAPREP_ISA forces one). Owns the CPUID check.
        .target(name: "CKernels"),
        .target(name: "CWarp", dependencies: ["CKernels"]),

        .target(name: "DataPrep", dependencies: ["CZlib", "CDeflate", "CJPEG", "CPNG", "CSys", "CHash"]),
        .target(name: "Augment", dependencies: ["DataPrep", "CWarp"]),
        .target(name: "Train", dependencies: ["DataPrep", "CBLAS", "CKernels"]),
        // Charts (PNG via DataPrep, captions in Augment's bitmap font) and self-contained HTML reports.
        .target(name: "Report", dependencies: ["DataPrep", "Augment", "Train"]),

        // The commands as library calls with typed options and results (split, merge, train,
        // fine-tune, evaluate, explain, preview): the CLI parses, calls one and prints.
        .target(name: "Workflows", dependencies: ["DataPrep", "Augment", "Train", "Report"]),

        .executableTarget(
            name: "dataprep",
            dependencies: ["DataPrep", "Augment", "Train", "Report", "Workflows",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/dataprep"),
        .executableTarget(name: "make-fixtures", dependencies: ["DataPrep"], path: "Tools/make-fixtures"),
        .executableTarget(name: "bench", dependencies: ["DataPrep"], path: "Benchmarks/bench"),
        .executableTarget(name: "augment-bench", dependencies: ["DataPrep", "Augment"], path: "Benchmarks/augment-bench"),
        .executableTarget(name: "train-bench", dependencies: ["DataPrep", "Train"], path: "Benchmarks/train-bench"),

        .target(name: "TestSupport", dependencies: ["DataPrep"], path: "Tests/TestSupport"),
        .testTarget(name: "DataPrepTests", dependencies: ["DataPrep", "TestSupport"]),
        .testTarget(name: "AugmentTests", dependencies: ["Augment", "TestSupport"]),
        .testTarget(name: "TrainTests", dependencies: ["Train", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "dataprep"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Train", "TestSupport"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "DataPrep", "Augment", "Train", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
