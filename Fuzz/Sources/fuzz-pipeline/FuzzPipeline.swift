import Augment
import DataPrep
import FuzzSupport

/// Augmentation pipeline documents: decoding, validation, and then applying whatever validated
/// to a small RGB image (so a setting that passes validation but breaks a kernel is found too).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    var pipeline: Pipeline?
    _ = FuzzInput.run(accept: { $0 is AugmentError }) {
        pipeline = try Pipeline.decode(json: bytes, path: FuzzInput.name)
    }
    guard let pipeline else { return 0 }
    for (width, height, channels) in [(7, 5, 3), (1, 1, 1)] {
        let image = Image(width: width, height: height, channels: channels,
                          pixels: (0..<(width * height * channels)).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        let out = pipeline.augmented(image, seed: UInt64(size), epoch: 0, index: 0).image
        if out.pixels.count != out.width * out.height * out.channels { FuzzInput.fail("pixel buffer size") }
    }
    return 0
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzPipeline`.
@_cdecl("fuzz_pipeline_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzPipeline)
}
