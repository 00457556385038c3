import DataPrep
import FuzzSupport
import Train

/// Checkpoint loading: `model.safetensors` (header length, JSON header, offsets, shapes) and
/// `checkpoint.json`. The first byte picks which: even → safetensors, odd → checkpoint JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput.bytes(data, size)
    guard let selector = bytes.first else { return 0 }
    let body = Array(bytes.dropFirst())
    if selector % 2 == 0 {
        return FuzzInput.run(accept: { $0 is TrainError }) {
            let decoded = try SafeTensors.decode(body, path: FuzzInput.name)
            for t in decoded.tensors where t.values.count != t.shape.reduce(1, *) {
                FuzzInput.fail("tensor \(t.name): \(t.values.count) values for shape \(t.shape)")
            }
            // What we decode we must be able to write back and read again, unchanged.
            let again = try SafeTensors.decode(SafeTensors.encode(decoded.tensors, metadata: decoded.metadata), path: FuzzInput.name)
            if again.tensors.map(\.shape) != decoded.tensors.map(\.shape) { FuzzInput.fail("re-encode changed shapes") }
        }
    }
    return FuzzInput.run(accept: { $0 is TrainError }) {
        _ = try Checkpoint.decodeInfo(body, path: FuzzInput.name)
    }
}

/// SwiftPM aliases `main` to this symbol; it starts libFuzzer on `fuzzCheckpoint`.
@_cdecl("fuzz_checkpoint_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzInput.main(argc, argv, fuzzCheckpoint)
}
