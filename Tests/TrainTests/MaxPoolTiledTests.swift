import Testing
@testable import Train

/// Max pooling where the windows tile the image (backward's vector path): forward gives each
/// window's maximum, and backward sends its gradient to the first pixel in scan order equal to
/// that maximum, ties included, every other pixel getting exactly 0; at every instruction-set
/// level this CPU runs (37 channels: the 16-, 8- and 4-float vectors and the scalar tail).
@Suite struct MaxPoolTiledTests {
    static let geometries: [ConvGeometry] = [
        ConvGeometry(height: 6, width: 8, channels: 7, kernel: (2, 2), stride: (2, 2), padding: .valid)!,
        ConvGeometry(height: 9, width: 6, channels: 4, kernel: (3, 3), stride: (3, 3), padding: .valid)!,
        ConvGeometry(height: 4, width: 4, channels: 1, kernel: (2, 2), stride: (2, 2), padding: .valid)!,
        ConvGeometry(height: 4, width: 6, channels: 37, kernel: (2, 2), stride: (2, 2), padding: .valid)!,
    ]

    /// `Pooling.maxForward` then `maxBackward` of one sample (dx starts at -9: every pixel
    /// must be written).
    static func run(_ g: ConvGeometry, x: [Float], dy: [Float], isa: KernelISA) -> (y: [Float], dx: [Float]) {
        var y = [Float](repeating: 0, count: dy.count), dx = [Float](repeating: -9, count: g.inputCount)
        var remaining = [Float](repeating: 0, count: g.channels)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { Pooling.maxForward(g, xp.baseAddress!, $0.baseAddress!, isa: isa) }
            y.withUnsafeBufferPointer { yp in
                dy.withUnsafeBufferPointer { dyp in
                    dx.withUnsafeMutableBufferPointer { dxp in
                        remaining.withUnsafeMutableBufferPointer {
                            Pooling.maxBackward(g, xp.baseAddress!, yp.baseAddress!, dyp.baseAddress!, dxp.baseAddress!, remaining: $0.baseAddress!, isa: isa)
                        }
                    }
                }
            }
        }
        return (y, dx)
    }

    @Test(arguments: geometries, KernelISA.available)
    func firstMaximumInScanOrderGetsTheGradient(_ g: ConvGeometry, _ isa: KernelISA) {
        #expect(Pooling.windowsTile(g))
        var random = TestRandom(UInt64(g.height * 10 + g.channels))
        // Values from {0, 1, 2}: most windows have tied maxima.
        let x = random.floats(g.inputCount).map { ($0 * 1.5 + 1.5).rounded(.down) }
        let outCount = g.outHeight * g.outWidth * g.channels
        let dy = random.floats(outCount)
        let (y, dx) = Self.run(g, x: x, dy: dy, isa: isa)
        var expected = [Float](repeating: 0, count: g.inputCount), peaks = [Float](repeating: 0, count: outCount)
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                for c in 0..<g.channels {
                    var best = -Float.infinity, at = -1
                    for ky in 0..<g.kernelHeight {
                        for kx in 0..<g.kernelWidth {
                            let i = ((oy * g.strideY + ky) * g.width + ox * g.strideX + kx) * g.channels + c
                            if x[i] > best { best = x[i]; at = i }
                        }
                    }
                    expected[at] = dy[(oy * g.outWidth + ox) * g.channels + c]
                    peaks[(oy * g.outWidth + ox) * g.channels + c] = best
                }
            }
        }
        #expect(y == peaks)
        #expect(dx.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
