import Testing
@testable import DataPrep

// Expected float32 bit patterns were produced with NumPy 2.4 on this machine:
//   (np.array(x, np.uint8).astype(np.float32) / 255 - mean) / std   with float32 mean and std
// and are hard-coded here so the test needs no Python.

@Suite("PixelConversion (normalize)")
struct NormalizeTests {
    @Test("unitFloat equals NumPy's astype(float32) / 255 bit for bit")
    func unitFloatMatchesNumPy() {
        let bytes: [UInt8] = [0, 1, 128, 254, 255]
        let expected: [UInt32] = [0x0000_0000, 0x3B80_8081, 0x3F00_8081, 0x3F7E_FEFF, 0x3F80_0000]
        #expect(PixelConversion.unitFloat(bytes).map(\.bitPattern) == expected)
    }

    @Test("unitFloat is the correctly rounded quotient for all 256 bytes")
    func unitFloatAllBytes() {
        // x / 255 computed in Double and rounded once to Float is the correctly rounded float32
        // quotient (x / 255 never lies on a float32 rounding midpoint), i.e. IEEE float32 division.
        let all = (0...255).map { UInt8($0) }
        #expect(PixelConversion.unitFloat(all) == all.map { Float(Double($0) / 255) })
        // Why division and not a multiply by 1/255: NumPy finds 126 of 256 bytes that differ.
        let multiplied = all.map { Float($0) * (1 / 255 as Float) }
        #expect(zip(multiplied, PixelConversion.unitFloat(all)).filter { $0 != $1 }.count == 126)
    }

    @Test("standardized matches NumPy for ImageNet mean/std on RGB")
    func standardizedRGB() {
        let bytes: [UInt8] = [0, 128, 255, 255, 1, 77]
        let out = PixelConversion.standardized(bytes, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], channels: 3)
        // -2.117904, 0.2051822, 2.64, 2.2489083, -2.0182073, -0.4623964
        let expected: [UInt32] = [0xC007_8BBD, 0x3E52_1B48, 0x4028_F5C3, 0x400F_EE1D, 0xC001_2A4F, 0xBEEC_BF39]
        #expect(out.map(\.bitPattern) == expected)
    }

    @Test("standardized matches NumPy for MNIST mean/std on gray")
    func standardizedGray() {
        let out = PixelConversion.standardized([0, 255, 128], mean: [0.1307], std: [0.3081], channels: 1)
        // -0.42421296, 2.8214867, 1.2050011
        #expect(out.map(\.bitPattern) == [0xBED9_3271, 0x4034_933D, 0x3F9A_3D7A])
    }

    @Test("standardized with 4 channels applies each channel's own statistics")
    func standardizedFourChannels() {
        let mean: [Float] = [0.1, 0.2, 0.3, 0.4], std: [Float] = [0.5, 0.25, 2, 1]
        let bytes: [UInt8] = [10, 20, 30, 40, 250, 0, 128, 255]
        let out = PixelConversion.standardized(bytes, mean: mean, std: std, channels: 4)
        let expected = bytes.enumerated().map { i, x in (Float(x) / 255 - mean[i % 4]) / std[i % 4] }
        #expect(out == expected)
    }

    @Test("the threaded unitFloat writes the same floats as one thread")
    func threadedMatchesSerial() {
        var rng = ResizeTestRandom(seed: 23)
        let count = 3 << 20 + 17  // three 1 MiB chunks and a ragged tail
        let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var threaded = [Float](repeating: -1, count: count)
        bytes.withUnsafeBufferPointer { src in
            threaded.withUnsafeMutableBufferPointer { PixelConversion.unitFloat(src, into: $0, threads: 2) }
        }
        #expect(threaded == PixelConversion.unitFloat(bytes))
    }
}
