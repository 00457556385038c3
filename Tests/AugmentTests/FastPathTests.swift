import DataPrep
import Foundation
import Testing
@testable import Augment

/// The fast paths added for speed (row-span clipped warps, the fused brightness/contrast table,
/// the forward-reading RGB flip) against the plain code they replaced, byte for byte.
@Suite struct FastPathTests {
    @Test(arguments: [1, 3, 4])
    func spanClippedBilinearEqualsThePerPixelKernel(channels: Int) {
        var generator = SeededGenerator(seed: 7, stream: 1)
        for trial in 0..<300 {
            let w = 1 + Int(generator.next() % 23), h = 1 + Int(generator.next() % 19)
            let image = TestImages.make(w, h, channels: channels) { x, y, c in (x * 37 + y * 91 + c * 53 + trial) ^ (x * y) }
            let r = { (scale: Double) in generator.nextDouble(in: -scale, scale) }
            // Mostly rotation/shear/zoom about the centre, sometimes wild or axis-parallel maps.
            let map: AffineMatrix
            switch trial % 4 {
            case 0: map = AffineMatrix(a: r(2), b: r(2), tx: r(40), c: r(2), d: r(2), ty: r(40))
            case 1: map = AffineMatrix(a: 1 + r(0.3), b: 0, tx: r(5), c: 0, d: 1 + r(0.3), ty: r(5))   // zero steps
            default:
                let angle = r(3.2), s = 1 + r(0.25)
                map = AffineMatrix(a: s * cos(angle), b: -s * sin(angle), tx: r(w > 1 ? Double(w) : 1),
                                   c: s * sin(angle), d: s * cos(angle), ty: r(h > 1 ? Double(h) : 1))
            }
            for fill in FillMode.allCases {
                let expected = Warp.fixedPointReference(image.pixels, shape: image.shape, map: map, fill: fill, cval: 9)
                let got = TestImages.warp(image, map, .bilinear, fill: fill, cval: 9).pixels
                #expect(got == expected, "trial \(trial) \(w)x\(h)x\(channels) \(fill) \(map)")
                if got != expected { return }
            }
        }
    }

    @Test func interiorSpanMatchesTheTapTestAtEveryColumn() {
        for a in [-300_000, -70_000, -65_536, -65_664, -129, -128, -127, 0, 65_407, 65_408, 400_000, 10_000_000] {
            for step in [-200_000, -65_536, -1_000, -1, 0, 1, 777, 65_536, 131_071] {
                let size = 9, columns = 13
                let span = Warp.interior(a, step, size: size, columns: columns)
                for x in 0..<columns {
                    let i = (a + x * step + 128) >> 16
                    #expect(span.contains(x) == (0 <= i && i < size - 1), "a \(a) step \(step) x \(x)")
                }
            }
        }
    }

    @Test(arguments: [1, 3])
    func fusedBrightnessContrastEqualsTheTwoKernelsInTurn(channels: Int) {
        let image = TestImages.make(17, 11, channels: channels) { x, y, c in x * 13 + y * 29 + c * 71 }
        let ops: [[AugmentationOp]] = [
            [.brightness(Brightness(lower: 0.5, upper: 1.6)), .contrast(Contrast(lower: 0.3, upper: 1.8))],
            [.contrast(Contrast(lower: 0.3, upper: 1.8)), .brightness(Brightness(lower: 0.5, upper: 1.6)),
             .contrast(Contrast(lower: 0.6, upper: 1.2))],
            [.brightness(Brightness(lower: 0.5, upper: 1.6)), .rotation(Rotation(degrees: 30)),
             .contrast(Contrast(lower: 0.3, upper: 1.8)), .gaussianNoise(GaussianNoise(std: 0.05))],
        ]
        for list in ops {
            let pipeline = Pipeline(list, fillMode: .reflect)
            for index in 0..<20 {
                let fused = pipeline.augmented(image, seed: 3, epoch: 1, index: index).image.pixels
                // The same draws, each operation applied on its own, in order.
                var generator = SeededGenerator(seed: 3, stream: StreamPurpose.augmentation, epoch: 1, index: index)
                var pixels = image.pixels
                for op in list {
                    pixels.withUnsafeMutableBufferPointer { buffer in
                        let view = PixelView(base: buffer.baseAddress!, shape: image.shape)
                        switch op {
                        case let .brightness(o): o.apply(o.sampleParameters(for: image.shape, using: &generator), to: view)
                        case let .contrast(o): o.apply(o.sampleParameters(for: image.shape, using: &generator), to: view)
                        case let .gaussianNoise(o): o.apply(o.sampleParameters(for: image.shape, using: &generator), to: view)
                        case let .rotation(o):
                            let map = o.samplingMap(o.sampleParameters(for: image.shape, using: &generator), for: image.shape)
                            let copy = Array(buffer)
                            copy.withUnsafeBufferPointer { s in
                                Warp.apply(s.baseAddress!, into: buffer.baseAddress!, shape: image.shape, map: map,
                                           interpolation: .bilinear, fill: .reflect, cval: 0)
                            }
                        default: Issue.record("unexpected op \(op)")
                        }
                    }
                }
                #expect(fused == pixels, "\(list.map(\.name)) index \(index)")
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 150])
    func rgbFlipOfEveryWidthIsAReversedCopy(width: Int) {
        let image = TestImages.make(width, 3, channels: 3) { x, y, c in 1 + x * 7 + y * 50 + c * 3 }
        let out = TestImages.warp(image, HorizontalFlip().samplingMap(true, for: image.shape))
        for y in 0..<3 { for x in 0..<width { #expect(out.pixel(x: x, y: y) == image.pixel(x: width - 1 - x, y: y)) } }
    }
}
