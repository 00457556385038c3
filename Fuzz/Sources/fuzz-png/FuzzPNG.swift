import DataPrep
import FuzzSupport

/// PNG through the CPNG shim: our own IHDR/tRNS reader and libpng's decode in every read mode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    _ = FuzzInput.run(accept: { $0 is DataPrepError }) { _ = try PNG.readInfo(bytes, name: FuzzInput.name) }
    let modes: [PNGReadMode] = [.native, PNGReadMode(.gray), PNGReadMode(.rgb)]
    var options = PNGDecodeOptions(mode: modes[size % modes.count], strict: size % 2 == 0)
    options.maxBytes = 16 << 20
    return FuzzInput.run(accept: { $0 is DataPrepError }) {
        let image = try PNG.decode(bytes, name: FuzzInput.name, options: options)
        if image.pixels.count != image.width * image.height * image.channels { FuzzInput.fail("pixel buffer size") }
    }
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzPNG`.
@_cdecl("fuzz_png_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzPNG)
}
