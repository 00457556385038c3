import DataPrep
import FuzzSupport

/// `.tar` and `.tar.gz` (gzip detected by magic): headers, GNU long names, pax records, member data.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTar(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    // Small limits: the fuzzer's inputs are tiny, so a member this large is a lying header.
    let limits = DecompressionLimits(maxOutputBytes: 64 << 20, maxRatio: 1000, ratioGraceBytes: 1 << 20)
    return FuzzInput.run(accept: { $0 is DataPrepError }) {
        var reader = try TarReader(bytes: bytes, name: FuzzInput.name, limits: limits)
        try reader.forEach { entry, contents in
            if entry.kind == .file && contents.count != entry.size { FuzzInput.fail("member \(entry.path): \(contents.count) bytes, header says \(entry.size)") }
            if entry.path.hasPrefix("/") || entry.path.split(separator: "/").contains("..") { FuzzInput.fail("unsafe path accepted: \(entry.path)") }
        }
    }
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzTar`.
@_cdecl("fuzz_tar_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzTar)
}
