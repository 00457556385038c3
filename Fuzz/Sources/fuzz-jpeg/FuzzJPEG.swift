import DataPrep
import FuzzSupport

/// JPEG through the CJPEG shim: header parsing, EXIF orientation, full and scaled decodes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    _ = FuzzInput.run(accept: { $0 is DataPrepError }) { _ = try JPEG.readInfo(bytes, name: FuzzInput.name) }
    // 16 MiB is plenty for the fuzzer's tiny inputs and keeps a lying header fast to refuse.
    var options = JPEGDecodeOptions(color: size % 2 == 0 ? .rgb : .gray, minimumWidth: size % 3 == 0 ? 5 : 0)
    options.maxBytes = 16 << 20
    return FuzzInput.run(accept: { $0 is DataPrepError }) {
        let image = try JPEG.decode(bytes, name: FuzzInput.name, options: options)
        if image.pixels.count != image.width * image.height * image.channels { FuzzInput.fail("pixel buffer size") }
    }
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzJPEG`.
@_cdecl("fuzz_jpeg_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzJPEG)
}
