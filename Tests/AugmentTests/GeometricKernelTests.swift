import DataPrep
import Testing
@testable import Augment

/// Exact pixels of the geometric operations' kernels (no randomness: parameters are given).
@Suite struct GeometricKernelTests {
    let digits = TestImages.gray([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    let shape3 = ImageShape(width: 3, height: 3, channels: 1)

    @Test func horizontalAndVerticalFlips() {
        let h = TestImages.warp(digits, HorizontalFlip().samplingMap(true, for: shape3))
        #expect(TestImages.rows(h) == [[3, 2, 1], [6, 5, 4], [9, 8, 7]])
        let v = TestImages.warp(digits, VerticalFlip().samplingMap(true, for: shape3))
        #expect(TestImages.rows(v) == [[7, 8, 9], [4, 5, 6], [1, 2, 3]])
        #expect(HorizontalFlip().samplingMap(false, for: shape3) == .identity)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 8])
    func rgbFlipMatchesReferenceAtEveryWidth(width: Int) {
        // The 3-byte-pixel flip moves overlapping 4-byte words: check every width, incl. 1.
        let image = TestImages.make(width, 2, channels: 3) { x, y, c in 1 + x * 10 + y * 100 + c }
        let map = HorizontalFlip().samplingMap(true, for: image.shape)
        let expected = Warp.reference(image.pixels, shape: image.shape, map: map, interpolation: .nearest, fill: .constant, cval: 0)
        #expect(TestImages.warp(image, map).pixels == expected)
        #expect(TestImages.warp(image, map).pixel(x: 0, y: 1) == image.pixel(x: width - 1, y: 1))
    }

    @Test(arguments: Interpolation.allCases)
    func quarterAndHalfTurnsAreExact(interpolation: Interpolation) {
        // Positive angles turn the content counter-clockwise: the top-right corner goes top-left.
        let r90 = TestImages.warp(digits, Rotation(degrees: 90).samplingMap(90, for: shape3), interpolation)
        #expect(TestImages.rows(r90) == [[3, 6, 9], [2, 5, 8], [1, 4, 7]])
        let r180 = TestImages.warp(digits, Rotation(degrees: 180).samplingMap(180, for: shape3), interpolation)
        #expect(TestImages.rows(r180) == [[9, 8, 7], [6, 5, 4], [3, 2, 1]])
        let rm90 = TestImages.warp(digits, Rotation(degrees: 90).samplingMap(-90, for: shape3), interpolation)
        #expect(TestImages.rows(rm90) == [[7, 4, 1], [8, 5, 2], [9, 6, 3]])
        // Even sizes: the centre is between pixels, and a half turn still lands on pixel centres.
        let four = TestImages.make(4, 4) { x, y, _ in 1 + x + 4 * y }
        let turned = TestImages.warp(four, Rotation(degrees: 180).samplingMap(180, for: four.shape), interpolation)
        #expect(turned.pixels == Array(four.pixels.reversed()))
    }

    @Test func integerShiftsMoveContentRightAndDown() {
        let image = TestImages.make(4, 3) { x, y, _ in 10 * (y + 1) + x }
        let map = Shift(width: 0, height: 0).samplingMap(.init(dx: 1, dy: 1), for: image.shape)
        let out = TestImages.warp(image, map, fill: .constant, cval: 99)
        #expect(TestImages.rows(out) == [[99, 99, 99, 99], [99, 10, 11, 12], [99, 20, 21, 22]])
    }

    /// Row `10 20 30 40 50` shifted right by 2 under each fill mode: what the two new columns read.
    @Test(arguments: [
        (FillMode.constant, [7, 7, 10, 20, 30] as [UInt8]),
        (.nearest, [10, 10, 10, 20, 30]),
        (.reflect, [20, 10, 10, 20, 30]),
        (.wrap, [40, 50, 10, 20, 30]),
    ])
    func fillModesAtTheBorder(fill: FillMode, expected: [UInt8]) {
        let row = TestImages.gray([[10, 20, 30, 40, 50]])
        // Axis-aligned kernel (exact copy) ...
        let shifted = TestImages.warp(row, .translation(x: -2, y: 0), fill: fill, cval: 7)
        #expect(shifted.pixels == expected)
        // ... and the general kernels, pushed off the fast path by a flip composed with a shear of 0.
        let general = AffineMatrix(a: 1, b: 1e-7, tx: -2, c: 0, d: 1, ty: 0)
        #expect(TestImages.warp(row, general, .nearest, fill: fill, cval: 7).pixels == expected)
        #expect(TestImages.warp(row, general, .bilinear, fill: fill, cval: 7).pixels == expected)
        // Shifted the other way the right border is read: reflect mirrors, wrap comes round.
        let left = TestImages.warp(row, .translation(x: 2, y: 0), fill: fill, cval: 7).pixels
        let expectedLeft: [UInt8] = switch fill {
        case .constant: [30, 40, 50, 7, 7]
        case .nearest: [30, 40, 50, 50, 50]
        case .reflect: [30, 40, 50, 50, 40]
        case .wrap: [30, 40, 50, 10, 20]
        }
        #expect(left == expectedLeft)
    }

    @Test func zoomOfOneAndEmptyPipelinesAreTheIdentity() {
        let image = TestImages.make(9, 7, channels: 3) { x, y, c in x * 29 + y * 7 + c * 81 }
        let zoom = Zoom(lower: 1, upper: 1)
        var generator = SeededGenerator(seed: 5)
        let factors = zoom.sampleParameters(for: image.shape, using: &generator)
        #expect(factors == .init(x: 1, y: 1))
        #expect(zoom.samplingMap(factors, for: image.shape) == .identity)
        #expect(Pipeline([.zoom(zoom)]).augmented(image, seed: 1, epoch: 0, index: 0).image == image)
        #expect(Pipeline().augmented(image, seed: 1, epoch: 0, index: 0).image == image)
        // A real zoom changes pixels: 2x sampling halves the content about the centre.
        let small = TestImages.warp(image, Zoom(range: 1).samplingMap(.init(x: 2, y: 2), for: image.shape), .nearest)
        #expect(small.pixel(x: 4, y: 3) == image.pixel(x: 4, y: 3))
        #expect(small.pixel(x: 5, y: 3) == image.pixel(x: 6, y: 3))
    }

    @Test(arguments: [(1, Interpolation.bilinear), (3, .bilinear), (4, .bilinear), (1, .nearest), (3, .nearest)])
    func fastWarpAgreesWithTheReference(channels: Int, interpolation: Interpolation) {
        let image = TestImages.make(23, 17, channels: channels) { x, y, c in (x * 37 + y * 11 + c * 50) ^ (x * y) }
        var generator = SeededGenerator(seed: 42)
        var worst = 0, total = 0, count = 0
        for fill in FillMode.allCases {
            for _ in 0..<6 {
                let map = AffineMatrix.rotation(degrees: generator.nextDouble(in: -180, 180))
                    .concatenating(.scale(x: generator.nextDouble(in: 0.6, 1.6), y: generator.nextDouble(in: 0.6, 1.6)))
                    .aboutCenter(of: image.shape)
                    .concatenating(.translation(x: generator.nextDouble(in: -6, 6), y: generator.nextDouble(in: -6, 6)))
                let fast = TestImages.warp(image, map, interpolation, fill: fill, cval: 77).pixels
                let slow = Warp.reference(image.pixels, shape: image.shape, map: map, interpolation: interpolation, fill: fill, cval: 77)
                for (a, b) in zip(fast, slow) {
                    let d = abs(Int(a) - Int(b))
                    worst = max(worst, d); total += d; count += 1
                }
            }
        }
        if interpolation == .bilinear {
            // Weights are rounded to 1/256 pixel: at most a level or two on steep edges.
            #expect(worst <= 2)
            #expect(Double(total) / Double(count) < 0.3)
        } else {
            // A position within 2^-16 of a half-pixel may round the other way: rare.
            #expect(Double(total) / Double(count) < 0.5)
        }
    }

    @Test func randomResizedCropOfTheWholeImageIsTheIdentity() {
        let image = TestImages.make(6, 6, channels: 3) { x, y, c in x * 40 + y + c }
        let crop = RandomResizedCrop(scale: 1...1, ratio: 1...1)
        var generator = SeededGenerator(seed: 3)
        let window = crop.sampleParameters(for: image.shape, using: &generator)
        #expect(window == .init(x: 0, y: 0, width: 6, height: 6))
        #expect(TestImages.warp(image, crop.samplingMap(window, for: image.shape)) == image)
        // A 3x3 window in the bottom-right corner, enlarged 2x with nearest: pixel (5,5) reads (4.75, 4.75) -> (5,5).
        let corner = crop.samplingMap(.init(x: 3, y: 3, width: 3, height: 3), for: image.shape)
        let out = TestImages.warp(image, corner, .nearest)
        #expect(out.pixel(x: 5, y: 5) == image.pixel(x: 5, y: 5))
        #expect(out.pixel(x: 0, y: 0) == image.pixel(x: 3, y: 3))
    }
}
