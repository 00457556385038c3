import Testing
@testable import DataPrep
import TestSupport

/// JPEG decoding against the formulas the fixtures were generated from
/// (`Tools/make-fixtures/ImageFixtures.swift`); the formulas are restated here as the oracle.
@Suite struct JPEGTests {
    static func load(_ name: String) throws -> (bytes: [UInt8], path: String) {
        let path = TestPaths.fixture("jpeg/" + name)
        return (try FileIO.read(path), path)
    }

    static func decode(_ name: String, _ options: JPEGDecodeOptions = .init()) throws -> Image {
        let (bytes, path) = try load(name)
        return try JPEG.decode(bytes, name: path, options: options)
    }

    /// Largest and mean absolute difference between decoded bytes and expected values.
    static func difference(_ image: Image, _ expected: [Int]) -> (max: Int, mean: Double) {
        precondition(image.pixels.count == expected.count)
        var largest = 0, sum = 0
        for (a, b) in zip(image.pixels, expected) {
            largest = max(largest, abs(Int(a) - b))
            sum += abs(Int(a) - b)
        }
        return (largest, Double(sum) / Double(expected.count))
    }

    /// R = 8x, G = 10y, B = 255 - 4(x + y) on 32x24.
    static let gradient: [Int] = (0..<24).flatMap { y in (0..<32).flatMap { x in [8 * x, 10 * y, 255 - 4 * (x + y)] } }

    /// Pillow's convert('L'): (19595 R + 38470 G + 7471 B + 0x8000) >> 16.
    static func luma(_ r: Int, _ g: Int, _ b: Int) -> Int { (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16 }

    @Test func headersDescribeEachFixture() throws {
        func info(_ name: String) throws -> JPEGInfo {
            let (bytes, path) = try Self.load(name)
            return try JPEG.readInfo(bytes, name: path)
        }
        #expect(try info("rgb-q95.jpg") == JPEGInfo(width: 32, height: 24, components: 3, colorSpace: .ycbcr,
                                                    isProgressive: false, orientation: 1))
        #expect(try info("rgb-progressive-q95.jpg").isProgressive)
        #expect(try info("gray-blocks-q100.jpg") == JPEGInfo(width: 32, height: 24, components: 1, colorSpace: .gray,
                                                             isProgressive: false, orientation: 1))
        #expect(try info("cmyk-adobe.jpg").colorSpace == .cmyk)
        #expect(try info("cmyk-ycck.jpg").colorSpace == .ycck)
        #expect(try info("cmyk-plain.jpg").colorSpace == .cmyk)
        for orientation in 1...8 {
            let header = try info("orientation-\(orientation).jpg")
            #expect(header.orientation == orientation)
            #expect((header.width, header.height) == (64, 32), "stored size is not rotated")
            #expect((header.orientedWidth, header.orientedHeight) == (orientation >= 5 ? (32, 64) : (64, 32)))
        }
    }

    @Test(arguments: ["rgb-q95.jpg", "rgb-progressive-q95.jpg"])
    func rgbMatchesFormula(name: String) throws {
        let image = try Self.decode(name)
        #expect((image.width, image.height, image.channels) == (32, 24, 3))
        // Measured: max 10, mean 1.16 (4:2:0 chroma on a diagonal blue ramp); the bounds leave
        // room for libjpeg versions, not for a wrong colour conversion or a swapped channel.
        let (largest, mean) = Self.difference(image, Self.gradient)
        #expect(largest <= 14)
        #expect(mean <= 2)
    }

    @Test func progressiveDecodesLikeBaseline() throws {
        let baseline = try Self.decode("rgb-q95.jpg"), progressive = try Self.decode("rgb-progressive-q95.jpg")
        #expect(Self.difference(progressive, baseline.pixels.map(Int.init)).max <= 2)
    }

    @Test func solidGrayBlocksSurviveExactly() throws {
        // 8x8 blocks of one value each, quality 100: only the DC coefficient is non-zero.
        let image = try Self.decode("gray-blocks-q100.jpg", .init(color: .gray))
        let expected = (0..<24).flatMap { y in (0..<32).map { x in 20 + 40 * (x / 8) + 50 * (y / 8) } }
        #expect(image.channels == 1)
        #expect(image.pixels.map(Int.init) == expected)
        // Gray to RGB replicates the value.
        let rgb = try Self.decode("gray-blocks-q100.jpg")
        #expect(rgb.pixels.map(Int.init) == expected.flatMap { [$0, $0, $0] })
    }

    @Test func grayFromColourIsLuma() throws {
        let gray = try Self.decode("rgb-q95.jpg", .init(color: .gray))
        #expect((gray.width, gray.height, gray.channels) == (32, 24, 1))
        let expected = (0..<(32 * 24)).map { i in
            Self.luma(Self.gradient[3 * i], Self.gradient[3 * i + 1], Self.gradient[3 * i + 2])
        }
        #expect(Self.difference(gray, expected).max <= 3)
        // The Y plane and the luma of the decoded RGB differ only by rounding.
        let rgb = try Self.decode("rgb-q95.jpg")
        #expect(Self.difference(gray, rgb.grayscale().pixels.map(Int.init)).max <= 1)
    }

    /// Inks (255,0,0,0), (0,255,0,0), (0,0,0,128), (64,128,0,32) in 16x16 blocks;
    /// RGB = (255 - C)(255 - K) / 255 and so on.
    static let cmykColours: [[Int]] = [[0, 255, 255], [255, 0, 255], [127, 127, 127], [167, 111, 223]]

    @Test(arguments: ["cmyk-adobe.jpg", "cmyk-plain.jpg"])
    func cmykDecodesToExactRGB(name: String) throws {
        // CMYK planes are not subsampled and each block is solid: DC-only at quality 100, so the
        // inks come back exactly and only our CMYK -> RGB conversion is tested.
        let image = try Self.decode(name)
        let expected = (0..<16).flatMap { _ in (0..<64).flatMap { x in Self.cmykColours[x / 16] } }
        #expect(image.pixels.map(Int.init) == expected)
        let gray = try Self.decode(name, .init(color: .gray))
        #expect(gray.pixels.map(Int.init) == expected.indices.filter { $0 % 3 == 0 }.map {
            Self.luma(expected[$0], expected[$0 + 1], expected[$0 + 2])
        })
    }

    @Test func ycckDecodesToRGB() throws {
        let image = try Self.decode("cmyk-ycck.jpg")
        for (block, colour) in Self.cmykColours.enumerated() {
            let pixel = image.pixel(x: 16 * block + 8, y: 8).map(Int.init)
            #expect(zip(pixel, colour).allSatisfy { abs($0 - $1) <= 2 }, "block \(block): \(pixel) vs \(colour)")
        }
    }

    /// Colours of the displayed quadrants (top-left, top-right, bottom-left, bottom-right) for
    /// each orientation, derived by hand from the EXIF definitions; stored quadrants are
    /// red, green, blue, yellow.
    static let displayedQuadrants: [Int: [String]] = [
        1: ["red", "green", "blue", "yellow"], 2: ["green", "red", "yellow", "blue"],
        3: ["yellow", "blue", "green", "red"], 4: ["blue", "yellow", "red", "green"],
        5: ["red", "blue", "green", "yellow"], 6: ["blue", "red", "yellow", "green"],
        7: ["yellow", "green", "blue", "red"], 8: ["green", "yellow", "red", "blue"],
    ]
    static let colours: [String: [UInt8]] = [
        "red": [200, 40, 40], "green": [40, 200, 40], "blue": [40, 40, 200], "yellow": [255, 255, 0],
    ]

    @Test(arguments: 1...8)
    func orientationIsApplied(orientation: Int) throws {
        let image = try Self.decode("orientation-\(orientation).jpg")
        #expect((image.width, image.height) == (orientation >= 5 ? (32, 64) : (64, 32)))
        let names = try #require(Self.displayedQuadrants[orientation])
        for (quadrant, name) in names.enumerated() {
            let x = (quadrant % 2) * image.width / 2 + image.width / 4
            let y = (quadrant / 2) * image.height / 2 + image.height / 4
            #expect(Array(image.pixel(x: x, y: y)) == Self.colours[name], "quadrant \(quadrant) should be \(name)")
        }
        let stored = try Self.decode("orientation-\(orientation).jpg", .init(applyOrientation: false))
        #expect((stored.width, stored.height) == (64, 32))
        #expect(Array(stored.pixel(x: 16, y: 8)) == Self.colours["red"])
    }

    /// The naive kernel: for every output pixel, the source pixel from the EXIF table.
    static func referenceOrientation(_ image: Image, _ orientation: Int) -> Image {
        let (w, h) = (image.width, image.height)
        let swaps = orientation >= 5
        var out = Image(width: swaps ? h : w, height: swaps ? w : h, channels: image.channels)
        for yo in 0..<out.height {
            for xo in 0..<out.width {
                let (x, y): (Int, Int)
                switch orientation {
                case 1: (x, y) = (xo, yo)
                case 2: (x, y) = (w - 1 - xo, yo)
                case 3: (x, y) = (w - 1 - xo, h - 1 - yo)
                case 4: (x, y) = (xo, h - 1 - yo)
                case 5: (x, y) = (yo, xo)
                case 6: (x, y) = (yo, h - 1 - xo)
                case 7: (x, y) = (w - 1 - yo, h - 1 - xo)
                default: (x, y) = (w - 1 - yo, xo)
                }
                for c in 0..<image.channels {
                    out.pixels[(yo * out.width + xo) * image.channels + c] = image.pixels[(y * w + x) * image.channels + c]
                }
            }
        }
        return out
    }

    @Test(arguments: [1, 3, 4])
    func orientationKernelMatchesReference(channels: Int) {
        for (w, h) in [(1, 1), (5, 3), (2, 7), (8, 8)] {
            let pixels = (0..<(w * h * channels)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let image = Image(width: w, height: h, channels: channels, pixels: pixels)
            for orientation in 1...8 {
                #expect(image.applyingEXIFOrientation(orientation) == Self.referenceOrientation(image, orientation),
                        "\(w)x\(h)x\(channels) orientation \(orientation)")
            }
            // 6 and 8 undo each other; the others are their own inverse.
            #expect(image.applyingEXIFOrientation(6).applyingEXIFOrientation(8) == image)
            for selfInverse in [2, 3, 4, 5, 7] {
                #expect(image.applyingEXIFOrientation(selfInverse).applyingEXIFOrientation(selfInverse) == image)
            }
        }
    }

    @Test(arguments: [
        // (minimum, expected): the smallest M/8 scale of 64x48 that still covers the minimum.
        ((0, 0), (64, 48)), ((16, 12), (16, 12)), ((17, 12), (24, 18)), ((1, 1), (8, 6)),
        ((8, 6), (8, 6)), ((9, 1), (16, 12)), ((33, 1), (40, 30)), ((1, 37), (56, 42)),
        ((64, 48), (64, 48)), ((65, 10), (64, 48)),
    ])
    func dctScalingPicksSmallestCoveringSize(minimum: (Int, Int), expected: (Int, Int)) throws {
        let image = try Self.decode("scale-64x48.jpg", .init(minimumWidth: minimum.0, minimumHeight: minimum.1))
        #expect((image.width, image.height) == expected)
    }

    @Test func scaledDecodeAveragesTheFullImage() throws {
        // 64x48 at 1/4: each output pixel is close to the mean of its 4x4 source block of
        // R = 4x, G = 5y, B = 128 (measured max difference 3).
        let image = try Self.decode("scale-64x48.jpg", .init(minimumWidth: 16, minimumHeight: 12))
        var expected: [Int] = []
        for y in 0..<12 {
            for x in 0..<16 { expected += [16 * x + 6, 20 * y + 8, 128] }  // 4(4x + 1.5), 5(4y + 1.5) rounded
        }
        #expect(Self.difference(image, expected).max <= 5)
    }

    @Test func minimumSizeIsMeasuredAfterOrientation() throws {
        // Stored 64x32, displayed 32x64. Asking for 16 wide x 8 high on the display means 8 x 16
        // on the stored image: scale 4/8 (32x16 stored, 16x32 shown). Without the swap the
        // decoder would pick 2/8 and return 8x16, narrower than asked.
        let image = try Self.decode("orientation-6.jpg", .init(minimumWidth: 16, minimumHeight: 8))
        #expect((image.width, image.height) == (16, 32))
    }

    @Test func corruptTwinsThrowTheirOwnErrors() throws {
        func failure(_ name: String, _ options: JPEGDecodeOptions = .init()) throws -> DataPrepError? {
            let (bytes, path) = try Self.load(name)
            return #expect(throws: DataPrepError.self) { try JPEG.decode(bytes, name: path, options: options) }
        }
        let path = { (name: String) in TestPaths.fixture("jpeg/" + name) }
        #expect(try failure("empty.jpg") == .emptyFile(path: path("empty.jpg")))
        #expect(try failure("truncated.jpg") == .corrupt(path: path("truncated.jpg"), offset: nil, reason: "Premature end of JPEG file"))
        #expect(try failure("bad-header.jpg") == .corrupt(path: path("bad-header.jpg"), offset: nil,
                                                          reason: "Unsupported JPEG data precision 247"))
        guard case let .wrongMagic(htmlPath, expected, found, hint)? = try failure("html-404.jpg") else {
            Issue.record("html-404.jpg: expected wrongMagic")
            return
        }
        #expect(htmlPath == path("html-404.jpg") && expected == "JPEG SOI ff d8 ff" && found == "3c 68 74 6d")
        #expect(hint?.contains("HTML") == true)
        #expect(try failure("png-renamed.jpg") == .wrongMagic(path: path("png-renamed.jpg"), expected: "JPEG SOI ff d8 ff",
                                                              found: "89 50 4e 47", hint: "this is a PNG"))
        // Lenient mode accepts the truncated file: libjpeg pads the missing rows with gray.
        let (bytes, name) = try Self.load("truncated.jpg")
        let padded = try JPEG.decode(bytes, name: name, options: .init(strict: false))
        #expect((padded.width, padded.height) == (32, 24))
    }

    @Test func validButUnsupportedFramesAreNotCalledCorrupt() throws {
        // 12-bit samples are legal JPEG that this 8-bit libjpeg build cannot decode.
        var twelveBit = try Self.load("rgb-q95.jpg").bytes
        let sof = try #require((0..<(twelveBit.count - 1)).first { twelveBit[$0] == 0xff && twelveBit[$0 + 1] == 0xc0 })
        twelveBit[sof + 4] = 12
        #expect(throws: DataPrepError.unsupported(path: "12.jpg", reason: "Unsupported JPEG data precision 12")) {
            try JPEG.decode(twelveBit, name: "12.jpg")
        }
    }

    /// `bytes` with the SOF0 frame size replaced.
    static func withFrameSize(_ bytes: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        let sof = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xff && (bytes[$0 + 1] == 0xc0 || bytes[$0 + 1] == 0xc2) })
        var patched = bytes
        patched[sof + 5] = UInt8(height >> 8); patched[sof + 6] = UInt8(height & 0xff)
        patched[sof + 7] = UInt8(width >> 8); patched[sof + 8] = UInt8(width & 0xff)
        return patched
    }

    @Test func absurdSizesAreRefusedBeforeAllocating() throws {
        let huge = try Self.withFrameSize(Self.load("rgb-q95.jpg").bytes, width: 60000, height: 60000)
        #expect(throws: DataPrepError.limitExceeded(path: "huge.jpg", what: "decoded image bytes (60000x60000x3)",
                                                    limit: DecodeLimit.defaultMaxBytes, found: 60000 * 60000 * 3)) {
            try JPEG.decode(huge, name: "huge.jpg")
        }
        // A progressive file keeps full-size coefficients even when DCT scaling shrinks the output.
        let progressive = try Self.withFrameSize(Self.load("rgb-progressive-q95.jpg").bytes, width: 30000, height: 30000)
        let error = #expect(throws: DataPrepError.self) {
            try JPEG.decode(progressive, name: "p.jpg", options: .init(color: .gray, minimumWidth: 80, minimumHeight: 80))
        }
        guard case let .limitExceeded(_, what, _, found)? = error else { Issue.record("expected limitExceeded"); return }
        #expect(what.hasPrefix("progressive JPEG coefficient bytes") && found == 30000 * 30000 * 6)
    }

    @Test func exifParserSurvivesEveryTruncationAndGarbage() throws {
        let pixels = Image(width: 8, height: 8, channels: 1, filledWith: 128)
        func orientation(_ app1: [UInt8]) throws -> Int {
            try JPEG.readInfo(JPEG.encode(pixels, app1: app1), name: "exif").orientation
        }
        for bigEndian in [false, true] {
            let payload = JPEG.exifPayload(orientation: 6, bigEndian: bigEndian)
            // The orientation entry ends 4 bytes before the payload does (the next-IFD offset);
            // any shorter cut must read as upright, never out of bounds.
            for length in 0...payload.count {
                let found = try orientation(Array(payload.prefix(length)))
                #expect(found == (length >= payload.count - 4 ? 6 : 1), "\(bigEndian ? "MM" : "II") cut at \(length)")
            }
        }
        for bad in [0, 9, 0xffff] {
            #expect(try orientation(JPEG.exifPayload(orientation: bad)) == 1)
        }
        // An IFD offset and an entry count pointing far past the payload.
        var wild = JPEG.exifPayload(orientation: 3)
        wild.replaceSubrange(10..<14, with: [0xf0, 0xff, 0xff, 0x7f])
        #expect(try orientation(wild) == 1)
        // 65535 entries claimed, no orientation among the two present: the walk stops at the end.
        var manyEntries = JPEG.exifPayload(orientation: 3)
        manyEntries.replaceSubrange(14..<16, with: [0xff, 0xff])
        manyEntries.replaceSubrange(28..<30, with: [0x13, 0x01])
        #expect(try orientation(manyEntries) == 1)
        #expect(try orientation(Array("http://ns.adobe.com/xap/1.0/\0".utf8)) == 1)  // an XMP APP1
    }

    @Test func encoderRefusesWhatJPEGCannotHold() {
        #expect(throws: DataPrepError.self) { try JPEG.encode(Image(width: 4, height: 4, channels: 4)) }
        #expect(throws: DataPrepError.self) { try JPEG.encode(Image(width: 4, height: 4, channels: 3), quality: 0) }
        #expect(throws: DataPrepError.self) {
            try JPEG.encode(Image(width: 4, height: 4, channels: 3), app1: [UInt8](repeating: 0, count: 65534))
        }
    }

    /// Every photo of the shared dogs-vs-cats sample decodes strictly to gray at >= 80x80 (or
    /// full size when smaller), the way a training loader reads them.
    @Test func realPhotosDecode() throws {
        guard let folder = TestPaths.sharedData("dogs-vs-cats/train") else { return }
        let names = try FileIO.listDirectory(folder).filter { $0.hasSuffix(".jpg") }
        var decoded = 0
        for name in names {
            let path = folder + "/" + name
            let bytes = try FileIO.read(path)
            let info = try JPEG.readInfo(bytes, name: path)
            let image = try JPEG.decode(bytes, name: path, options: .init(color: .gray, minimumWidth: 80, minimumHeight: 80))
            #expect(image.channels == 1)
            #expect(image.width >= min(80, info.orientedWidth) && image.height >= min(80, info.orientedHeight), "\(name)")
            #expect(image.width <= info.orientedWidth && image.height <= info.orientedHeight, "\(name)")
            decoded += 1
        }
        print("decoded \(decoded) of \(names.count) dogs-vs-cats photos")
        #expect(decoded == names.count && decoded > 0)
    }
}
