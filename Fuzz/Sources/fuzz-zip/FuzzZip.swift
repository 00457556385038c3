import DataPrep
import FuzzSupport

/// `.zip`: end record (and ZIP64), central directory, local headers, stored and deflate members.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    let limits = DecompressionLimits(maxOutputBytes: 64 << 20, maxRatio: 1000, ratioGraceBytes: 1 << 20)
    var archive: ZipArchive?
    _ = FuzzInput.run(accept: { $0 is DataPrepError }) {
        archive = try ZipArchive(bytes: bytes, name: FuzzInput.name, limits: limits)
    }
    guard let archive else { return 0 }
    for entry in archive.entries {
        if entry.path.hasPrefix("/") || entry.path.split(separator: "/").contains("..") { FuzzInput.fail("unsafe path accepted: \(entry.path)") }
        _ = FuzzInput.run(accept: { $0 is DataPrepError }) {
            let contents = try archive.contents(of: entry)
            if entry.kind == .file && contents.count != entry.size { FuzzInput.fail("member \(entry.path): \(contents.count) bytes, directory says \(entry.size)") }
        }
    }
    return 0
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzZip`.
@_cdecl("fuzz_zip_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzZip)
}
