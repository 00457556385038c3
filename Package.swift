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
        // cairo draws the charts: anti-aliased lines and DejaVu Sans text (fonts-dejavu-core).
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]),
        // libarchive reads tar, tar.gz and zip (ZIP64 too) and writes the WebDataset shards;
        // our policy layer (Archive/) sits on top: path safety, size limits, typed errors.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // libcrypto (OpenSSL) for SHA-256 and MD5 at hardware speed on any CPU it knows.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // libjpeg / libpng report errors by longjmp or exit(): these shims own the setjmp.
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),
        // Linux system calls Glibc's Swift module does not expose (renameat2 for folder swaps).
        .target(name: "CSys"),
        // The training engine's own hot loops, compiled for SSE2, AVX2 and AVX-512 and chosen
        // at run time (bit-identical at every level; DATAPREP_ISA forces one). Owns the CPUID check.
        .target(name: "CKernels"),
        // AVX2 bilinear warp spans, chosen at run time by CPUID (bit-identical to the Swift loop).
        .target(name: "CWarp", dependencies: ["CKernels"]),
        // Open MPI, dlopened at run time only under mpirun/srun: no MPI needed to build or run.
        .target(name: "CMPI", linkerSettings: [.linkedLibrary("dl")]),

        .target(name: "DataPrep", dependencies: ["CZlib", "CDeflate", "CJPEG", "CPNG", "CSys", "CArchive", "CCrypto"]),
        .target(name: "Augment", dependencies: ["DataPrep", "CWarp"]),
        .target(name: "Train", dependencies: ["DataPrep", "CBLAS", "CKernels"]),
        // Charts drawn once as a Drawing, rendered by cairo (PNG) and as SVG; self-contained HTML reports.
        .target(name: "Report", dependencies: ["DataPrep", "Train", "CCairo"]),

        // One process as a rank of an MPI job: rank, size, byte collectives, agreed failures.
        .target(name: "Cluster", dependencies: ["CMPI"]),

        // The commands as library calls with typed options and results (split, merge, train,
        // fine-tune, evaluate, explain, preview): the CLI parses, calls one and prints.
        .target(name: "Workflows", dependencies: ["DataPrep", "Augment", "Train", "Report", "Cluster"]),

        .executableTarget(
            name: "dataprep",
            dependencies: ["DataPrep", "Augment", "Train", "Report", "Workflows", "Cluster",
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
        .testTarget(name: "ClusterTests", dependencies: ["Cluster"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Train", "TestSupport"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "DataPrep", "Augment", "Train", "Report", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
