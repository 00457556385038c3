import Foundation
import Testing
@testable import DataPrep
import TestSupport

/// PNG is lossless, so every check here is exact: decoded bytes against the formulas the
/// fixtures were generated from (`Tools/make-fixtures/ImageFixtures.swift`, restated here).
@Suite struct PNGTests {
    static let (width, height) = (16, 12)

    /// Pixels of a 16x12 image, `f(x, y)` per pixel.
    static func pixels(_ f: (Int, Int) -> [Int]) -> [Int] {
        (0..<height).flatMap { y in (0..<width).flatMap { x in f(x, y) } }
    }

    /// libpng's 16 -> 8 bit reduction, by its definition: round(v * 255 / 65535).
    static func to8(_ v: Int) -> Int { Int((Double(v) / 257).rounded()) }

    static func gray8(_ x: Int, _ y: Int) -> Int { 13 * x + 4 * y }
    static func rgb8(_ x: Int, _ y: Int) -> [Int] { [16 * x, 21 * y, 255 - 8 * x - 7 * y] }
    static let palette4: [[Int]] = (0..<16).map { i in [17 * i, 255 - 17 * i, (53 * i) % 256] }
    static let palette8: [[Int]] = (0..<64).map { i in [4 * i, (7 * i) % 256, 255 - 4 * i] }

    /// (fixture, channels of the native decode, expected native pixels, IHDR facts)
    static let fixtures: [(name: String, channels: Int, pixels: [Int], type: PNGColorType, depth: Int)] = [
        ("gray8", 1, pixels { x, y in [gray8(x, y)] }, .gray, 8),
        ("gray16", 1, pixels { x, y in [to8(2999 * x + 1777 * y + 5)] }, .gray, 16),
        ("gray1", 1, pixels { x, y in [(x + y) % 3 == 0 ? 255 : 0] }, .gray, 1),
        ("gray8-trns-key", 4, pixels { x, y in let g = gray8(x, y); return [g, g, g, g == 85 ? 0 : 255] }, .gray, 8),
        ("gray-alpha8", 4, pixels { x, y in let g = gray8(x, y); return [g, g, g, 255 - 20 * y] }, .grayAlpha, 8),
        ("rgb8", 3, pixels(rgb8), .rgb, 8),
        ("rgb8-adam7", 3, pixels(rgb8), .rgb, 8),
        ("rgb16", 3, pixels { x, y in [4368 * x + 3, 5950 * y + 11, 65535 - 200 * x * y].map(to8) }, .rgb, 16),
        ("rgba8", 4, pixels { x, y in rgb8(x, y) + [9 * x + 8 * y + 10] }, .rgba, 8),
        ("palette4", 3, pixels { x, y in palette4[(x + 2 * y) % 16] }, .palette, 4),
        ("palette8-trns", 4, pixels { x, y in
            let i = (3 * x + 5 * y) % 64
            return palette8[i] + [i < 32 ? 8 * i : 255]
        }, .palette, 8),
    ]

    static func load(_ name: String) throws -> (bytes: [UInt8], path: String) {
        let path = TestPaths.fixture("png/" + name)
        return (try FileIO.read(path), path)
    }

    /// The reference conversion of native pixels to a mode: Pillow's luma for gray, gray
    /// replicated, alpha dropped or set to 255.
    static func convert(_ pixels: [Int], channels: Int, to mode: PNGReadMode) -> [Int] {
        stride(from: 0, to: pixels.count, by: channels).flatMap { i -> [Int] in
            let rgb = channels == 1 ? [pixels[i], pixels[i], pixels[i]] : Array(pixels[i..<(i + 3)])
            let alpha = channels == 4 ? pixels[i + 3] : 255
            switch mode {
            case .gray: return [(19595 * rgb[0] + 38470 * rgb[1] + 7471 * rgb[2] + 0x8000) >> 16]
            case .rgb: return rgb
            case .rgba: return rgb + [alpha]
            case .native: return Array(pixels[i..<(i + channels)])
            }
        }
    }

    @Test(arguments: fixtures.map(\.name))
    func everyColourTypeDecodesExactly(name: String) throws {
        let fixture = try #require(Self.fixtures.first { $0.name == name })
        let (bytes, path) = try Self.load(name + ".png")
        for mode in PNGReadMode.allCases {
            let image = try PNG.decode(bytes, name: path, options: .init(mode: mode))
            let channels = mode == .native ? fixture.channels : mode == .gray ? 1 : mode == .rgb ? 3 : 4
            #expect((image.width, image.height, image.channels) == (16, 12, channels), "\(name) as \(mode)")
            #expect(image.pixels.map(Int.init) == Self.convert(fixture.pixels, channels: fixture.channels, to: mode),
                    "\(name) as \(mode)")
        }
    }

    @Test(arguments: fixtures.map(\.name))
    func headerIsReadWithoutDecoding(name: String) throws {
        let fixture = try #require(Self.fixtures.first { $0.name == name })
        let (bytes, path) = try Self.load(name + ".png")
        let info = try PNG.readInfo(bytes, name: path)
        #expect(info == PNGInfo(width: 16, height: 12, colorType: fixture.type, bitDepth: fixture.depth,
                                isInterlaced: name.hasSuffix("adam7"), hasTransparency: name.contains("trns")))
        #expect(info.hasAlpha == (fixture.channels == 4))
    }

    /// Every colour type and bit depth the format allows, odd widths (partial bytes at row ends),
    /// both interlace methods: our writer and reader agree with the reference expansion.
    @Test func rawRoundTripOverAllTypesAndDepths() throws {
        var state: UInt64 = 0x5eed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        for type in PNGColorType.allCases {
            for depth in type.allowedBitDepths {
                for (w, h) in [(1, 1), (3, 2), (9, 5)] {
                    for interlaced in [false, true] {
                        let samples = (0..<(w * h * type.samplesPerPixel)).map { _ in next(1 << depth) }
                        var raw = PNGRawImage(width: w, height: h, colorType: type, bitDepth: depth, samples: samples)
                        raw.interlaced = interlaced
                        var colours: [[Int]] = []
                        if type == .palette {
                            colours = (0..<(1 << depth)).map { _ in [next(256), next(256), next(256)] }
                            raw.palette = colours.flatMap { $0.map(UInt8.init) }
                        }
                        let image = try PNG.decode(PNG.encode(raw: raw), name: "\(type)\(depth)", options: .init(mode: .rgba))
                        let expected: [Int] = (0..<(w * h)).flatMap { p -> [Int] in
                            let s = Array(samples[(p * type.samplesPerPixel)..<((p + 1) * type.samplesPerPixel)])
                            let scale = { (v: Int) in depth == 16 ? Self.to8(v) : v * 255 / ((1 << depth) - 1) }
                            switch type {
                            case .gray: return [scale(s[0]), scale(s[0]), scale(s[0]), 255]
                            case .grayAlpha: return [scale(s[0]), scale(s[0]), scale(s[0]), scale(s[1])]
                            case .rgb: return s.map(scale) + [255]
                            case .rgba: return s.map(scale)
                            case .palette: return colours[s[0]] + [255]
                            }
                        }
                        #expect(image.pixels.map(Int.init) == expected, "\(type) \(depth)-bit \(w)x\(h) interlaced \(interlaced)")
                    }
                }
            }
        }
    }

    @Test(arguments: [1, 3, 4])
    func imageWriteReadRoundTrip(channels: Int) throws {
        let pixels = (0..<(13 * 7 * channels)).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 5) }
        let image = Image(width: 13, height: 7, channels: channels, pixels: pixels)
        #expect(try PNG.decode(PNG.encode(image), name: "memory") == image)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dataprep-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PNG.write(image, to: path)
        #expect(try PNG.decode(contentsOf: path) == image)
    }

    @Test func corruptTwinsThrowTheirOwnErrors() throws {
        func failure(_ name: String) throws -> DataPrepError? {
            let (bytes, path) = try Self.load(name)
            return #expect(throws: DataPrepError.self) { try PNG.decode(bytes, name: path) }
        }
        let path = { (name: String) in TestPaths.fixture("png/" + name) }
        #expect(try failure("empty.png") == .emptyFile(path: path("empty.png")))
        let truncatedSize = try FileIO.size(path("truncated.png"))
        #expect(try failure("truncated.png") == .corrupt(path: path("truncated.png"), offset: truncatedSize,
                                                         reason: "unexpected end of data: the file is truncated"))
        #expect(try failure("bad-crc.png") == .corrupt(path: path("bad-crc.png"), offset: nil, reason: "IDAT: CRC error"))
        #expect(try failure("jpeg-renamed.png") == .wrongMagic(path: path("jpeg-renamed.png"),
                                                               expected: "PNG signature 89 50 4e 47 0d 0a 1a 0a",
                                                               found: "ff d8 ff e0 00 10 4a 46", hint: "this is a JPEG"))
        // The same data is still damaged when the tail is not checked.
        let (bytes, name) = try Self.load("bad-crc.png")
        #expect(throws: DataPrepError.self) { try PNG.decode(bytes, name: name, options: .init(strict: false)) }
    }

    @Test func damagedSignaturesAndHeadersAreNamed() throws {
        let good = try Self.load("rgb8.png").bytes
        // A text-mode transfer turns CR LF into LF.
        let textMode = Array(good[0..<4]) + [0x0a, 0x1a, 0x0a] + Array(good[8...])
        guard case let .wrongMagic(_, _, _, hint)? = #expect(throws: DataPrepError.self, performing: {
            try PNG.decode(textMode, name: "t.png")
        }) else { Issue.record("expected wrongMagic"); return }
        #expect(hint?.contains("text mode") == true)

        #expect(throws: DataPrepError.truncated(path: "short.png", expected: 33, found: 20)) {
            try PNG.readInfo(Array(good.prefix(20)), name: "short.png")
        }
        var badCRC = good
        badCRC[32] ^= 0x01
        guard case .corrupt("crc.png", 29, _)? = #expect(throws: DataPrepError.self, performing: {
            try PNG.readInfo(badCRC, name: "crc.png")
        }) else { Issue.record("expected corrupt IHDR CRC"); return }
        var badDepth = good
        badDepth[24] = 3
        Self.fixIHDRCRC(&badDepth)
        #expect(throws: DataPrepError.badHeader(path: "d.png", offset: 24, field: "bit depth for colour type 2",
                                                expected: "8, 16", found: "3")) { try PNG.readInfo(badDepth, name: "d.png") }
        // libpng's own check of the same header reaches us with its message.
        guard case let .corrupt(_, _, reason)? = #expect(throws: DataPrepError.self, performing: {
            try PNG.decode(badDepth, name: "d.png")
        }) else { Issue.record("expected corrupt"); return }
        #expect(reason.contains("IHDR"))
    }

    @Test func absurdSizesAreRefusedBeforeAllocating() throws {
        var huge = try Self.load("rgb8.png").bytes
        huge.replaceSubrange(16..<24, with: [0, 0, 0x9c, 0x40, 0, 0, 0x9c, 0x40])  // 40000 x 40000
        Self.fixIHDRCRC(&huge)
        #expect(throws: DataPrepError.limitExceeded(path: "huge.png", what: "decoded image bytes (40000x40000x3)",
                                                    limit: DecodeLimit.defaultMaxBytes, found: 40000 * 40000 * 3)) {
            try PNG.decode(huge, name: "huge.png")
        }
        var tight = PNGDecodeOptions()
        tight.maxBytes = 100
        #expect(throws: DataPrepError.self) { try PNG.decode(Self.load("rgb8.png").bytes, name: "r", options: tight) }
    }

    /// Recomputes the IHDR CRC (bytes 12..<29) after a deliberate edit, with a bitwise CRC-32.
    static func fixIHDRCRC(_ bytes: inout [UInt8]) {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes[12..<29] {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        crc = ~crc
        bytes.replaceSubrange(29..<33, with: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: crc >> $0) })
    }
}
