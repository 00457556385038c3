import DataPrep
import FuzzSupport

/// Gzip input: header flags, multi-member streams, trailer CRC and size, decompression limits.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    let limits = DecompressionLimits(maxOutputBytes: 64 << 20, maxRatio: 1000, ratioGraceBytes: 1 << 20)
    return FuzzInput.run(accept: { $0 is DataPrepError }) {
        let output = try Gzip.decompress(bytes, name: FuzzInput.name, limits: limits)
        if output.count > limits.maxOutput(forCompressed: bytes.count) { FuzzInput.fail("output \(output.count) bytes is past the limit") }
    }
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzGzip`.
@_cdecl("fuzz_gzip_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzGzip)
}
