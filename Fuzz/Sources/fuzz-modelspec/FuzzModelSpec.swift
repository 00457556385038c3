import Foundation
import FuzzSupport
import Train

/// Model specs as text (`conv 32 3 relu, maxpool 2, …`) and as JSON (object or bare array).
/// Whatever parses must print as text that parses back to the same spec.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelSpec(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    let text = String(decoding: bytes, as: UTF8.self)
    // The text parser puts the offending item, not the whole spec, in its errors.
    _ = FuzzInput.run(accept: { $0 is TrainError }, mustName: false) {
        let spec = try ModelSpec(parsing: text)
        let again = try ModelSpec(parsing: spec.text)
        if again.layers != spec.layers { FuzzInput.fail("text round trip changed \(spec.text) into \(again.text)") }
    }
    return FuzzInput.run(accept: { $0 is TrainError }) {
        _ = try ModelSpec(json: Data(bytes), source: FuzzInput.name)
    }
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzModelSpec`.
@_cdecl("fuzz_modelspec_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzModelSpec)
}
