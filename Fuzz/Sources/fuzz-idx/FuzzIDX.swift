import DataPrep
import FuzzSupport

/// IDX (MNIST) arrays: magic, dtype, rank, dimensions, payload size.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    return FuzzInput.run(accept: { $0 is DataPrepError }) {
        let array = try IDXArray(bytes: bytes, name: FuzzInput.name)
        // A decoded array must be self-consistent: the shape's product is its element count.
        if array.shape.reduce(1, *) != array.elementCount { FuzzInput.fail("shape \(array.shape) vs \(array.elementCount) elements") }
        if array.encoded() != bytes { FuzzInput.fail("decode/encode does not round-trip") }
    }
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzIDX`.
@_cdecl("fuzz_idx_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzIDX)
}
