import Testing
@testable import DataPrep

// Expected bytes below are derived by hand from OpenCV's algorithm (imgproc/src/resize.cpp,
// the 8-bit paths of `cv::resize`); each derivation is written next to its test. OpenCV itself
// was not available on the machine these tests were written on (no cv2 module), so no value
// here was copied from a cv2 run.

@Suite("Resize")
struct ResizeTests {
    private func gray(_ width: Int, _ height: Int, _ pixels: [UInt8]) -> Image {
        Image(width: width, height: height, channels: 1, pixels: pixels)
    }

    // MARK: bilinear (INTER_LINEAR)

    @Test("bilinear 2x1 -> 4x1 uses half-pixel centres: [0,100] -> [0,25,75,100]")
    func bilinearHalfPixelCentres() {
        // scale = 0.5; src x = (dx + 0.5) * 0.5 - 0.5 = -0.25, 0.25, 0.75, 1.25.
        // dx 0: -0.25 clamps to pixel 0 -> 0.  dx 3: 1.25 clamps to pixel 1 -> 100.
        // dx 1: weights (0.75, 0.25) -> (1536, 512) in 11-bit fixed point; t = 100 * 512 = 51200,
        //   t >> 4 = 3200; one source row, so the vertical weights are (2048, 0):
        //   ((2048 * 3200) >> 16 + 0 + 2) >> 2 = (100 + 2) >> 2 = 25.
        // dx 2: t = 100 * 1536 = 153600, >> 4 = 9600; (2048 * 9600) >> 16 = 300; (300 + 2) >> 2 = 75.
        #expect(gray(2, 1, [0, 100]).resized(width: 4, height: 1, filter: .bilinear).pixels == [0, 25, 75, 100])
        // Same arithmetic with 255: 63.75 -> 64 and 191.25 -> 191.
        #expect(gray(2, 1, [0, 255]).resized(width: 4, height: 1, filter: .bilinear).pixels == [0, 64, 191, 255])
    }

    @Test("bilinear is the same rule vertically: 1x2 [0,255] -> 1x4 [0,64,191,255]")
    func bilinearVertical() {
        // dy 0: fy = -0.25 -> rows (-1, 0) clamp to (0, 0), weights kept (512, 1536): 0.
        // dy 1: rows (0, 1), weights (1536, 512): t1 >> 4 = 255 * 2048 >> 4 = 32640;
        //   (0 + (512 * 32640) >> 16 + 2) >> 2 = (255 + 2) >> 2 = 64. dy 2 mirrors it: 191.
        // dy 3: rows (1, 2) clamp to (1, 1): (765 + 255 + 2) >> 2 = 255.
        #expect(gray(1, 2, [0, 255]).resized(width: 1, height: 4, filter: .bilinear).pixels == [0, 64, 191, 255])
    }

    @Test("bilinear at exactly 1/2 is OpenCV's 2x2 block mean with halves rounded up")
    func bilinearHalving() {
        // OpenCV turns INTER_LINEAR with both factors exactly 2 into INTER_AREA's fast path,
        // (a + b + c + d + 2) >> 2; see `areaIntegerHalving` for the derivation of each byte.
        let image = gray(4, 4, [1, 2, 10, 20,
                                3, 4, 30, 41,
                                0, 0, 255, 255,
                                0, 1, 255, 254])
        #expect(image.resized(width: 2, height: 2, filter: .bilinear).pixels == [3, 25, 0, 255])
    }

    // MARK: area (INTER_AREA)

    @Test("area 4x4 -> 2x2 is the block mean, halves rounded up")
    func areaIntegerHalving() {
        // Blocks: 1+2+3+4 = 10 -> (10+2)>>2 = 3 (2.5 rounds up); 10+20+30+41 = 101 -> 25 (25.25);
        // 0+0+0+1 = 1 -> 0 (0.25); 255+255+255+254 = 1019 -> 255 (254.75).
        let image = gray(4, 4, [1, 2, 10, 20,
                                3, 4, 30, 41,
                                0, 0, 255, 255,
                                0, 1, 255, 254])
        #expect(image.resized(width: 2, height: 2, filter: .area).pixels == [3, 25, 0, 255])
    }

    @Test("area with other integer factors rounds sum * (1/area) half to even (cvRound)")
    func areaIntegerOtherFactors() {
        // 6x1 -> 3x1: factors (2, 1), area 2, not OpenCV's 2x2 special case, so
        // saturate_cast<uchar>(sum * 0.5f): sums 1, 5, 9 -> 0.5, 2.5, 4.5 -> 0, 2, 4 (to even).
        #expect(gray(6, 1, [0, 1, 2, 3, 4, 5]).resized(width: 3, height: 1, filter: .area).pixels == [0, 2, 4])
        // 6x3 -> 2x1: factors (3, 3), area 9. Left block 0...8 sums to 36 -> 36/9 = 4.
        // Right block eight 9s and a 14 sums to 86 -> 9.56 -> 10.
        let image = gray(6, 3, [0, 1, 2, 9, 9, 9,
                                3, 4, 5, 9, 9, 9,
                                6, 7, 8, 9, 9, 14])
        #expect(image.resized(width: 2, height: 1, filter: .area).pixels == [4, 10])
    }

    @Test("area 5 -> 2 weights partial pixels by their covered fraction")
    func areaFractional() {
        // scale 2.5: output 0 covers source [0, 2.5): pixels 0 and 1 whole (1/2.5 = 0.4 each) and
        // half of pixel 2 (0.5/2.5 = 0.2); output 1 covers [2.5, 5): 0.2, 0.4, 0.4.
        // [7, 3, 200, 11, 90]: 7*.4 + 3*.4 + 200*.2 = 44.0 -> 44; 200*.2 + 11*.4 + 90*.4 = 80.4 -> 80.
        #expect(gray(5, 1, [7, 3, 200, 11, 90]).resized(width: 2, height: 1, filter: .area).pixels == [44, 80])
        // The same weights vertically: rows of constant 0, 10, 20, 30, 40 ->
        // 0*.4 + 10*.4 + 20*.2 = 8 and 20*.2 + 30*.4 + 40*.4 = 32, in both columns.
        let rows = (0..<5).flatMap { r in [UInt8](repeating: UInt8(10 * r), count: 5) }
        #expect(gray(5, 5, rows).resized(width: 2, height: 2, filter: .area).pixels == [8, 8, 32, 32])
    }

    @Test("area when enlarging behaves like OpenCV's bilinear variant, not a box filter")
    func areaEnlarging() {
        // INTER_AREA with scale < 1 uses s = floor(d * scale), f = (d + 1) - (s + 1) / scale,
        // f <= 0 -> 0, else its fraction. 2 -> 4 (scale 0.5): f = -1, 0, -1, 0 -> all 0, so the
        // pixels are duplicated: [0, 100] -> [0, 0, 100, 100].
        #expect(gray(2, 1, [0, 100]).resized(width: 4, height: 1, filter: .area).pixels == [0, 0, 100, 100])
        // 2 -> 3 (scale 2/3): d 1 has s = 0, f = 2 - 1.5 = 0.5 -> weights (1024, 1024):
        // t >> 4 = 100 * 1024 >> 4 = 6400, (2048 * 6400) >> 16 = 200, (200 + 2) >> 2 = 50.
        #expect(gray(2, 1, [0, 100]).resized(width: 3, height: 1, filter: .area).pixels == [0, 50, 100])
    }

    // MARK: nearest (INTER_NEAREST)

    @Test("nearest 3x3 -> 6x6 duplicates every pixel into a 2x2 block")
    func nearestDoubling() {
        // src = floor(dst * 0.5).
        let image = gray(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let out = image.resized(width: 6, height: 6, filter: .nearest)
        for y in 0..<6 { for x in 0..<6 { #expect(out.pixels[y * 6 + x] == image.pixels[(y / 2) * 3 + x / 2]) } }
    }

    @Test("nearest keeps OpenCV's double rounding of 1 / (dst / src)")
    func nearestDoubleRounding() {
        // 14 -> 18: ifx = 1 / (18 / 14) = 0.7777777777777777 in double; floor(d * ifx) for d in
        // 0..<18 (computed with Python floats, which are the same IEEE doubles) is below.
        // d = 9 gives floor(6.9999999999999993) = 6, where exact 9 * 14 / 18 = 7.
        let source = gray(14, 1, (0..<14).map { UInt8($0) })
        let expected: [UInt8] = [0, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 10, 10, 11, 12, 13]
        #expect(source.resized(width: 18, height: 1, filter: .nearest).pixels == expected)
    }

    // MARK: whole-kernel properties

    @Test("same size is an exact copy for every filter", arguments: ResizeFilter.allCases)
    func identity(filter: ResizeFilter) {
        var rng = ResizeTestRandom(seed: 7)
        for channels in [1, 3, 4] {
            let image = rng.image(width: 7, height: 5, channels: channels)
            #expect(image.resized(width: 7, height: 5, filter: filter) == image)
            var out = [UInt8](repeating: 0, count: image.pixels.count)
            out.withUnsafeMutableBufferPointer { image.resize(into: $0, width: 7, height: 5, filter: filter) }
            #expect(out == image.pixels)
        }
    }

    @Test("bilinear and nearest equal their per-pixel reference for every small shape")
    func matchesReference() {
        var rng = ResizeTestRandom(seed: 1)
        for channels in [1, 3, 4] {
            for (sw, sh) in [(1, 1), (2, 3), (5, 4), (7, 7), (9, 2)] {
                let image = rng.image(width: sw, height: sh, channels: channels)
                for dw in 1...11 { for dh in [1, 3, 4, 8, 13] {
                    let linear = image.resized(width: dw, height: dh, filter: .bilinear)
                    #expect(linear == ResizeReference.bilinear(image, width: dw, height: dh),
                            "bilinear \(sw)x\(sh)x\(channels) -> \(dw)x\(dh)")
                    let nearest = image.resized(width: dw, height: dh, filter: .nearest)
                    #expect(nearest == ResizeReference.nearest(image, width: dw, height: dh),
                            "nearest \(sw)x\(sh)x\(channels) -> \(dw)x\(dh)")
                    if dw > sw || dh > sh {  // INTER_AREA's enlarging branch
                        let area = image.resized(width: dw, height: dh, filter: .area)
                        #expect(area == ResizeReference.bilinear(image, width: dw, height: dh, areaMode: true),
                                "area (enlarging) \(sw)x\(sh)x\(channels) -> \(dw)x\(dh)")
                    }
                } }
            }
        }
    }

    @Test("area shrinking is within one level of the exact box average")
    func areaMatchesExactAverage() {
        // OpenCV (and this port) accumulates coverage weights in Float and rounds half to even,
        // the exact average (Double, halves up) may differ by one level; never more.
        var rng = ResizeTestRandom(seed: 3)
        var maxDeviation = 0, exact = 0, total = 0
        for channels in [1, 3] {
            for (sw, sh) in [(5, 5), (7, 3), (12, 9), (13, 17), (31, 22)] {
                let image = rng.image(width: sw, height: sh, channels: channels)
                for dw in 1...sw { for dh in Set([1, 2, (sh + 1) / 2, sh - 1, sh]) where dh >= 1 {
                    let fast = image.resized(width: dw, height: dh, filter: .area)
                    let reference = ResizeReference.area(image, width: dw, height: dh)
                    for (a, b) in zip(fast.pixels, reference.pixels) {
                        maxDeviation = max(maxDeviation, abs(Int(a) - Int(b)))
                        exact += a == b ? 1 : 0
                        total += 1
                    }
                } }
            }
        }
        #expect(maxDeviation <= 1)
        #expect(exact * 100 >= total * 99, "only \(exact) of \(total) bytes match the exact average")
    }

    @Test("channels are resized independently", arguments: ResizeFilter.allCases)
    func channelIndependence(filter: ResizeFilter) {
        var rng = ResizeTestRandom(seed: 11)
        for channels in [3, 4] {
            let image = rng.image(width: 23, height: 17, channels: channels)
            for (w, h) in [(7, 5), (46, 34), (10, 30), (23, 8)] {
                let out = image.resized(width: w, height: h, filter: filter)
                for c in 0..<channels {
                    let plane = Image(width: 23, height: 17, channels: 1,
                                      pixels: stride(from: c, to: image.pixels.count, by: channels).map { image.pixels[$0] })
                    let expected = plane.resized(width: w, height: h, filter: filter).pixels
                    let got = stride(from: c, to: out.pixels.count, by: channels).map { out.pixels[$0] }
                    #expect(got == expected, "\(filter) channel \(c) of \(channels) -> \(w)x\(h)")
                }
            }
        }
    }

    @Test("resizing into one slot of a batch writes only that slot")
    func intoBatchSlot() {
        var rng = ResizeTestRandom(seed: 5)
        let image = rng.image(width: 50, height: 37, channels: 3)
        let slot = 8 * 8 * 3
        var batch = [UInt8](repeating: 0xAB, count: 3 * slot)
        batch.withUnsafeMutableBufferPointer { all in
            image.resize(into: UnsafeMutableBufferPointer(rebasing: all[slot..<(2 * slot)]), width: 8, height: 8)
        }
        #expect(Array(batch[slot..<(2 * slot)]) == image.resized(width: 8, height: 8).pixels)
        #expect(batch[..<slot].allSatisfy { $0 == 0xAB } && batch[(2 * slot)...].allSatisfy { $0 == 0xAB })
    }

    // MARK: aspect modes

    @Test("crop cuts the centred window with the target aspect ratio")
    func cropGeometry() {
        func crop(_ sw: Int, _ sh: Int, _ tw: Int, _ th: Int) -> PixelRect {
            ResizeGeometry(sourceWidth: sw, sourceHeight: sh, targetWidth: tw, targetHeight: th, aspect: .crop).source
        }
        // 200x100 to square: keep height 100, width 100, offset (200 - 100) / 2 = 50.
        #expect(crop(200, 100, 50, 50) == PixelRect(x: 50, y: 0, width: 100, height: 100))
        #expect(crop(100, 200, 50, 50) == PixelRect(x: 0, y: 50, width: 100, height: 100))
        // 640x480 -> 224x224: 480x480 at x = 80.
        #expect(crop(640, 480, 224, 224) == PixelRect(x: 80, y: 0, width: 480, height: 480))
        // 5x5 -> 4x2: height round(5 * 2 / 4) = round(2.5) = 3 (halves up), y = (5 - 3) / 2 = 1.
        #expect(crop(5, 5, 4, 2) == PixelRect(x: 0, y: 1, width: 5, height: 3))
        // Same aspect: nothing cut.
        #expect(crop(300, 200, 150, 100) == PixelRect(x: 0, y: 0, width: 300, height: 200))
    }

    @Test("pad fits the whole image, centred, in the target")
    func padGeometry() {
        func pad(_ sw: Int, _ sh: Int, _ tw: Int, _ th: Int) -> PixelRect {
            ResizeGeometry(sourceWidth: sw, sourceHeight: sh, targetWidth: tw, targetHeight: th,
                           aspect: .pad(value: 0)).target
        }
        // 200x100 into 50x50: 50x25, bars of (50 - 25) / 2 = 12 above and 13 below.
        #expect(pad(200, 100, 50, 50) == PixelRect(x: 0, y: 12, width: 50, height: 25))
        #expect(pad(100, 200, 50, 50) == PixelRect(x: 12, y: 0, width: 25, height: 50))
        // 3x1 into 4x4: height round(4 / 3) = 1, y = (4 - 1) / 2 = 1.
        #expect(pad(3, 1, 4, 4) == PixelRect(x: 0, y: 1, width: 4, height: 1))
    }

    @Test("pad and crop produce the expected pixels")
    func aspectPixels() {
        // [10, 20] into 4x4 letterboxed with 9: rows 1-2 hold the 4x2 nearest resize.
        let padded = gray(2, 1, [10, 20]).resized(width: 4, height: 4, filter: .nearest, aspect: .pad(value: 9))
        #expect(padded.pixels == [9, 9, 9, 9,
                                  10, 10, 20, 20,
                                  10, 10, 20, 20,
                                  9, 9, 9, 9])
        // 4x2 cropped to a square keeps columns 1 and 2, unchanged at the same size.
        let cropped = gray(4, 2, [1, 2, 3, 4, 5, 6, 7, 8]).resized(width: 2, height: 2, filter: .bilinear, aspect: .crop)
        #expect(cropped.pixels == [2, 3, 6, 7])
        // RGB 1x2 into 2x2: the image keeps 1x2 at x = (2 - 1) / 2 = 0 (the odd pixel of slack
        // goes right); the bar is filled on every channel.
        let rgb = Image(width: 1, height: 2, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        let bars = rgb.resized(width: 2, height: 2, filter: .nearest, aspect: .pad(value: 0))
        #expect(bars.pixels == [1, 2, 3, 0, 0, 0,
                                4, 5, 6, 0, 0, 0])
    }
}

/// SplitMix64: deterministic test images without ambient randomness.
struct ResizeTestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func image(width: Int, height: Int, channels: Int) -> Image {
        Image(width: width, height: height, channels: channels,
              pixels: (0..<(width * height * channels)).map { _ in UInt8(truncatingIfNeeded: next()) })
    }
}
