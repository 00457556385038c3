import DataPrep
import Testing
@testable import Augment

/// Exact pixels of the photometric kernels, parameters given.
@Suite struct PixelKernelTests {
    let ramp = TestImages.gray([[0, 50, 100], [150, 200, 250]])

    @Test func brightnessMultipliesAndClips() {
        let out = TestImages.inPlace(ramp) { Brightness(lower: 1, upper: 2).apply(1.5, to: $0) }
        #expect(out.pixels == [0, 75, 150, 225, 255, 255])
        let darker = TestImages.inPlace(ramp) { Brightness(lower: 0, upper: 1).apply(0.5, to: $0) }
        #expect(darker.pixels == [0, 25, 50, 75, 100, 125])
    }

    @Test func contrastBlendsTowardsTheMean() {
        // mean = 125: factor 0 flattens, factor 2 doubles the distance from 125 and clips.
        #expect(TestImages.inPlace(ramp) { Contrast(lower: 0, upper: 0).apply(0, to: $0) }.pixels == [125, 125, 125, 125, 125, 125])
        #expect(TestImages.inPlace(ramp) { Contrast(lower: 2, upper: 2).apply(2, to: $0) }.pixels == [0, 0, 75, 175, 255, 255])
        // RGB: the mean is the luma mean (0.299 R + 0.587 G + 0.114 B), shared by all channels.
        let rgb = Image(width: 1, height: 1, channels: 3, pixels: [200, 100, 10])
        let flat = TestImages.inPlace(rgb) { Contrast(lower: 0, upper: 0).apply(0, to: $0) }
        #expect(flat.pixels == [120, 120, 120])   // 59.8 + 58.7 + 1.14 = 119.64
    }

    @Test func channelShiftClipsToTheImagesOwnRange() {
        // Keras: clip to [min, max] of the image (0 and 250 here), not [0, 255].
        #expect(TestImages.inPlace(ramp) { ChannelShift(intensity: 30).apply(30, to: $0) }.pixels == [30, 80, 130, 180, 230, 250])
        #expect(TestImages.inPlace(ramp) { ChannelShift(intensity: 30).apply(-30, to: $0) }.pixels == [0, 20, 70, 120, 170, 220])
    }

    @Test func grayscaleUsesPillowLumaAndKeepsGrayImages() {
        let rgba = Image(width: 2, height: 1, channels: 4, pixels: [255, 0, 0, 9, 10, 200, 30, 8])
        let out = TestImages.inPlace(rgba) { RandomGrayscale().apply(true, to: $0) }
        // (19595*255 + 0x8000) >> 16 = 76; (19595*10 + 38470*200 + 7471*30 + 0x8000) >> 16 = 124
        #expect(out.pixels == [76, 76, 76, 9, 124, 124, 124, 8])
        #expect(TestImages.inPlace(ramp) { RandomGrayscale().apply(true, to: $0) } == ramp)
        #expect(TestImages.inPlace(rgba) { RandomGrayscale().apply(false, to: $0) } == rgba)
    }

    @Test func cutoutAndErasingFillTheirRectangles() {
        let image = TestImages.make(5, 4) { _, _, _ in 9 }
        let cutout = Cutout(holes: 2, size: 2, value: 1)
        let holes = Cutout.Holes(count: 2, width: 2, height: 2, x: [0, 3, 0, 0, 0, 0, 0, 0], y: [0, 2, 0, 0, 0, 0, 0, 0])
        let out = TestImages.inPlace(image) { cutout.apply(holes, to: $0) }
        #expect(TestImages.rows(out) == [[1, 1, 9, 9, 9], [1, 1, 9, 9, 9], [9, 9, 9, 1, 1], [9, 9, 9, 1, 1]])
        let erased = TestImages.inPlace(image) { RandomErasing(value: 0).apply(PixelRect(x: 1, y: 1, width: 3, height: 1), to: $0) }
        #expect(TestImages.rows(erased)[1] == [9, 0, 0, 0, 9])
        #expect(TestImages.inPlace(image) { RandomErasing().apply(nil, to: $0) } == image)
    }

    @Test func gaussianNoiseIsSeededCentredAndScaled() {
        let flat = TestImages.make(200, 100) { _, _, _ in 128 }
        let noise = GaussianNoise(std: 0.1)
        let a = TestImages.inPlace(flat) { noise.apply(12345, to: $0) }
        #expect(a == TestImages.inPlace(flat) { noise.apply(12345, to: $0) })
        #expect(a != TestImages.inPlace(flat) { noise.apply(12346, to: $0) })
        let values = a.pixels.map { Double($0) - 128 }
        let mean = values.reduce(0, +) / Double(values.count)
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(mean) < 0.3)
        #expect(abs(std - 25.5) < 0.6)
        #expect(TestImages.inPlace(flat) { GaussianNoise(std: 0).apply(7, to: $0) } == flat)
        // The table is a normal's quantiles: symmetric, median 0, one sigma at the 84th percentile.
        let q = NoiseKernel.quantiles
        #expect(abs(q[0] + q[4095]) < 1e-6 && abs(q[2047] + q[2048]) < 1e-6)
        #expect(abs(q[Int(0.8413 * 4096)] - 1) < 0.01)
    }
}
