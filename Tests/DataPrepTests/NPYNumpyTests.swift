import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// The arrays we write, read by NumPy itself (skipped with a printed reason when `python3`
/// with NumPy is not installed).
@Suite struct NPYNumpyTests {
    /// Runs `python3 -c script args...`; nil (after printing why) when NumPy is unavailable.
    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
        func run(_ args: [String]) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + args
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        guard let probe = try? run(["-c", "import numpy"]), probe.0 == 0 else {
            print("skipping NumPy interop: `python3 -c 'import numpy'` failed")
            return nil
        }
        return try run(["-c", script] + arguments)
    }

    /// Written by `DatasetWriter` from `DatasetWriterTests.prepared`: train is 3 samples of
    /// 2x3x3 with labels 1, 0, 1 and byte k of sample s = (40s + 13k + 7) % 256.
    @Test func numpyLoadsUint8ImagesAndInt64Labels() throws {
        let folder = try DatasetWriterTests.write(DatasetWriterTests.prepared())
        defer { ScratchFolder.remove(folder) }
        let script = """
            import sys, numpy as np
            x = np.load(sys.argv[1] + "/train/x.npy"); y = np.load(sys.argv[1] + "/train/y.npy")
            assert x.dtype == np.uint8 and x.shape == (3, 2, 3, 3), (x.dtype, x.shape)
            assert y.dtype == np.int64 and y.shape == (3,), (y.dtype, y.shape)
            assert y.tolist() == [1, 0, 1], y
            # sample 1, row 1, column 2, channel 0 is HWC byte k = (1*3 + 2)*3 + 0 = 15 of sample 1
            assert x[1, 1, 2, 0] == (40 * 1 + 13 * 15 + 7) % 256, x[1, 1, 2, 0]
            assert x[0, 0, 0, 2] == (13 * 2 + 7) % 256
            assert x.flags.c_contiguous
            print("ok")
            """
        guard let (status, output) = try Self.python(script, [folder]) else { return }
        #expect(status == 0, "\(output)")
        #expect(output == "ok\n")
    }

    /// The `npy-float32` export: `.unit` floats (also without a recorded normalization) must
    /// equal NumPy's own `x.astype(np.float32) / 255` bit for bit; standard ones
    /// `(x / 255 - mean) / std` computed in float32. `x.npy` beside them stays uint8.
    @Test func numpyLoadsFloat32ImagesEqualToItsOwnArithmetic() throws {
        let raw = try DatasetWriterTests.write(DatasetWriterTests.prepared(), formats: [.npyFloat32])
        let unit = try DatasetWriterTests.write(DatasetWriterTests.prepared(normalization: .unit), formats: [.npyFloat32])
        let standard = try DatasetWriterTests.write(DatasetWriterTests.prepared(normalization: .standard(mean: [0.5, 0.4, 0.3], std: [0.25, 0.2, 0.1])),
                                                    formats: [.npyFloat32])
        defer { for f in [raw, unit, standard] { ScratchFolder.remove(f) } }
        let script = """
            import sys, numpy as np
            raw = np.load(sys.argv[1] + "/test/x.npy"); plain = np.load(sys.argv[1] + "/npy-float32/test/x.npy")
            u = np.load(sys.argv[2] + "/npy-float32/test/x.npy"); s = np.load(sys.argv[3] + "/npy-float32/test/x.npy")
            assert raw.dtype == np.uint8 and np.array_equal(np.load(sys.argv[3] + "/test/x.npy"), raw)
            for a in (plain, u, s): assert a.dtype == np.float32 and a.shape == (2, 2, 3, 3), (a.dtype, a.shape)
            assert np.array_equal(u, raw.astype(np.float32) / 255) and np.array_equal(plain, u)
            mean = np.array([0.5, 0.4, 0.3], dtype=np.float32); std = np.array([0.25, 0.2, 0.1], dtype=np.float32)
            assert np.array_equal(s, (raw.astype(np.float32) / 255 - mean) / std)
            assert u[0, 0, 0, 0] == np.float32((40 * 10 + 7) % 256) / np.float32(255)
            print("ok")
            """
        guard let (status, output) = try Self.python(script, [raw, unit, standard]) else { return }
        #expect(status == 0, "\(output)")
        #expect(output == "ok\n")
    }
}
