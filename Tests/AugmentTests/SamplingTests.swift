import DataPrep
import Testing
@testable import Augment

/// The random draws: ranges are honoured with inclusive integer bounds, extremes are reached,
/// and parameters depend only on (seed, epoch, index).
@Suite struct SamplingTests {
    /// Parameters of `op` for sample streams 0..<n under one root seed.
    func draws<A: Augmentation>(_ op: A, _ shape: ImageShape, _ n: Int = 2000) -> [A.Parameters] {
        (0..<n).map { i in
            var generator = SeededGenerator(seed: 9, stream: StreamPurpose.augmentation, epoch: 0, index: i)
            return op.sampleParameters(for: shape, using: &generator)
        }
    }

    let shape = ImageShape(width: 10, height: 8, channels: 1)

    @Test func randomCropOffsetsCoverZeroToTwicePaddingInclusive() {
        let offsets = draws(RandomCrop(padding: 3), shape)
        #expect(Set(offsets.map(\.x)) == Set(0...6))
        #expect(Set(offsets.map(\.y)) == Set(0...6))
        // At the extremes the window touches the pad: (0,0) shows 3 pad columns/rows on the left/top.
        let image = TestImages.make(10, 8) { x, y, _ in 1 + x + 10 * y }
        let crop = RandomCrop(padding: 3, fill: .constant, value: 0)
        let topLeft = TestImages.warp(image, crop.samplingMap(.init(x: 0, y: 0), for: shape), .nearest, fill: crop.fill)
        #expect(topLeft.pixel(x: 2, y: 2) == [0] && topLeft.pixel(x: 3, y: 3) == [1] && topLeft.pixel(x: 9, y: 7) == image.pixel(x: 6, y: 4))
        let bottomRight = TestImages.warp(image, crop.samplingMap(.init(x: 6, y: 6), for: shape), .nearest, fill: crop.fill)
        #expect(bottomRight.pixel(x: 0, y: 0) == image.pixel(x: 3, y: 3) && bottomRight.pixel(x: 6, y: 4) == image.pixel(x: 9, y: 7))
        #expect(bottomRight.pixel(x: 7, y: 4) == [0] && bottomRight.pixel(x: 6, y: 5) == [0])
        // Through the pipeline the crop uses its own pad, not the pipeline's fill mode.
        let pipeline = Pipeline([.randomCrop(crop)], fillMode: .nearest)
        var sawPad = false
        for index in 0..<20 {
            let out = pipeline.augmented(image, seed: 1, epoch: 0, index: index).image
            sawPad = sawPad || out.pixels.contains(0)
        }
        #expect(sawPad)
    }

    @Test func cutoutCornersReachBothEndsAndStayInside() {
        let holes = draws(Cutout(holes: 1, size: 0.5), shape)
        #expect(holes.allSatisfy { $0.count == 1 && $0.width == 5 && $0.height == 4 })
        #expect(Set(holes.map { Int($0.x[0]) }) == Set(0...5))
        #expect(Set(holes.map { Int($0.y[0]) }) == Set(0...4))
        #expect(draws(Cutout(holes: 1, size: 3, probability: 0), shape, 50).allSatisfy { $0.count == 0 })
    }

    @Test func resizedCropWindowsFitAndReachTheCorners() {
        let windows = draws(RandomResizedCrop(scale: 0.25...0.25, ratio: 1...1), ImageShape(width: 8, height: 8, channels: 1))
        #expect(windows.allSatisfy { $0.width == 4 && $0.height == 4 })
        #expect(Set(windows.map(\.x)) == Set(0...4) && Set(windows.map(\.y)) == Set(0...4))
        let wild = draws(RandomResizedCrop(), shape)
        #expect(wild.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x + $0.width <= 10 && $0.y + $0.height <= 8 && $0.width > 0 && $0.height > 0 })
    }

    @Test func continuousRangesStayInsideAndSpreadOut() {
        let angles = draws(Rotation(degrees: 40), shape)
        #expect(angles.allSatisfy { abs($0) <= 40 } && angles.min()! < -38 && angles.max()! > 38)
        let zooms = draws(Zoom(range: 0.2), shape)
        #expect(zooms.allSatisfy { (0.8...1.2).contains($0.x) && (0.8...1.2).contains($0.y) })
        #expect(zooms.contains { abs($0.x - $0.y) > 0.1 })   // x and y drawn independently, as Keras
        // Keras shift semantics: < 1 is a fraction of the size, >= 1 whole pixels in -n...n.
        let fractional = draws(Shift(width: 0.2, height: 0.5), shape)
        #expect(fractional.allSatisfy { abs($0.dx) <= 2 && abs($0.dy) <= 4 } && fractional.contains { $0.dx != $0.dx.rounded() })
        let pixels = draws(Shift(width: 3, height: 0), shape)
        #expect(Set(pixels.map(\.dx)) == Set([-3, -2, -1, 0, 1, 2, 3]) && pixels.allSatisfy { $0.dy == 0 })
        let flips = draws(HorizontalFlip(), shape).filter { $0 }.count
        #expect((900...1100).contains(flips))
    }

    @Test func augmentationDependsOnlyOnSeedEpochAndIndex() {
        let image = TestImages.make(12, 12, channels: 3) { x, y, c in x * 20 + y * 3 + c * 60 }
        let pipeline = Pipeline([.rotation(Rotation(degrees: 30)), .zoom(Zoom(range: 0.2)), .horizontalFlip(HorizontalFlip()),
                                 .brightness(Brightness(lower: 0.8, upper: 1.2)), .gaussianNoise(GaussianNoise(std: 0.05))])
        let a = pipeline.augmented(image, seed: 7, epoch: 2, index: 5)
        #expect(a == pipeline.augmented(image, seed: 7, epoch: 2, index: 5))
        #expect(a.image != pipeline.augmented(image, seed: 7, epoch: 2, index: 6).image)
        #expect(a.image != pipeline.augmented(image, seed: 7, epoch: 3, index: 5).image)
        #expect(a.image != pipeline.augmented(image, seed: 8, epoch: 2, index: 5).image)
        #expect(a.applied.map(\.op) == ["rotation", "zoom", "horizontalFlip", "brightness", "gaussianNoise"])
    }

    @Test func geometricOperationsComposeIntoTheSameResultAsOneMatrix() {
        // rotation 90 then hflip composed = a transpose; applied by the pipeline in one warp.
        let image = TestImages.make(5, 5) { x, y, _ in 1 + x + 5 * y }
        let shape = image.shape
        let map = Rotation(degrees: 90).samplingMap(90, for: shape).concatenating(HorizontalFlip().samplingMap(true, for: shape))
        let out = TestImages.warp(image, map)
        for y in 0..<5 { for x in 0..<5 { #expect(out.pixel(x: x, y: y) == image.pixel(x: 4 - y, y: 4 - x)) } }
    }
}
