import DataPrep
import FuzzSupport

/// CIFAR-10 and CIFAR-100 binary record files (the same bytes tried as both).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCIFAR(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    for variant in CIFARVariant.allCases {
        _ = FuzzInput.run(accept: { $0 is DataPrepError }) {
            let batch = try CIFARBatch(bytes: bytes, name: FuzzInput.name, variant: variant)
            if batch.pixels.count != batch.count * CIFARVariant.pixelBytes { FuzzInput.fail("pixel count \(batch.pixels.count) for \(batch.count) records") }
            if batch.labels.contains(where: { $0 < 0 || Int($0) >= variant.classCount }) { FuzzInput.fail("label out of range accepted") }
        }
    }
    _ = CIFARClassNames.parse(bytes)
    return 0
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzCIFAR`.
@_cdecl("fuzz_cifar_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzCIFAR)
}
