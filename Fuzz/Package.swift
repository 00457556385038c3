// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for every decoder that reads untrusted bytes. A package of their own so the
// main package's `swift build` never needs `-sanitize=fuzzer`; built and run by scripts/fuzz.sh:
//   swift build -c release --scratch-path Fuzz/.build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Each target exports `LLVMFuzzerTestOneInput` and `<module>_main` (SwiftPM links `main` to it),
// which hands over to libFuzzer through `LLVMFuzzerRunDriver`.
let targets = ["idx", "cifar", "tar", "gzip", "zip", "jpeg", "png", "checkpoint", "modelspec", "pipeline"]

let package = Package(
    name: "dataprep-fuzz",
    dependencies: [.package(name: "dataprep", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
    ] + targets.map { name in
        .executableTarget(
            name: "fuzz-\(name)",
            dependencies: ["FuzzSupport",
                           .product(name: "DataPrep", package: "dataprep"),
                           .product(name: "Augment", package: "dataprep"),
                           .product(name: "Train", package: "dataprep")],
            path: "Sources/fuzz-\(name)")
    },
    swiftLanguageModes: [.v6]
)
