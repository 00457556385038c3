import DataPrep

/// Small deterministic JPEG and PNG fixtures, each computed from a formula the tests restate,
/// plus a corrupt twin for every way a real dataset file goes bad.
///
/// Formulas (x, y from the top-left, integer arithmetic):
/// - `jpeg/rgb-q95.jpg`, `jpeg/rgb-progressive-q95.jpg` (32x24): R = 8x, G = 10y, B = 255 - 4(x + y).
/// - `jpeg/gray-blocks-q100.jpg` (32x24): each 8x8 block (bx, by) is 20 + 40 bx + 50 by.
/// - `jpeg/orientation-N.jpg`, N = 1...8 (stored 64x32, EXIF orientation N; 1-4 little-endian
///   EXIF, 5-8 big-endian): 32x16 quadrants, top-left (200,40,40), top-right (40,200,40),
///   bottom-left (40,40,200), bottom-right (255,255,0), colours that survive YCbCr exactly at q100.
/// - `jpeg/cmyk-{adobe,ycck,plain}.jpg` (64x16): four 16x16 blocks of CMYK inks (255,0,0,0),
///   (0,255,0,0), (0,0,0,128), (64,128,0,32); RGB (0,255,255), (255,0,255), (127,127,127),
///   (167,111,223).
/// - `jpeg/scale-64x48.jpg` (64x48, q90): R = 4x, G = 5y, B = 128.
/// - PNGs (16x12): see `pngFixtures()`.
enum ImageFixtures {
    /// Writes every fixture under `root/jpeg/` and `root/png/`; returns their relative paths.
    static func write(into root: String) throws -> [String] {
        try FileIO.makeDirectories(joinPath(root, "jpeg"))
        try FileIO.makeDirectories(joinPath(root, "png"))
        var files: [(String, [UInt8])] = []
        files += try jpegFixtures()
        let pngs = try pngFixtures()
        files += pngs
        files += try corruptTwins(jpeg: files, png: pngs)
        for (path, bytes) in files {
            try FileIO.writeAtomically(bytes, to: joinPath(root, path))
        }
        return files.map(\.0)
    }

    /// An image whose pixel (x, y) is `f(x, y)` (channels values each).
    static func image(_ width: Int, _ height: Int, channels: Int, _ f: (Int, Int) -> [Int]) -> Image {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * channels)
        for y in 0..<height {
            for x in 0..<width { pixels += f(x, y).map { UInt8($0) } }
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    static func jpegFixtures() throws -> [(String, [UInt8])] {
        let gradient = image(32, 24, channels: 3) { x, y in [8 * x, 10 * y, 255 - 4 * (x + y)] }
        let blocks = image(32, 24, channels: 1) { x, y in [20 + 40 * (x / 8) + 50 * (y / 8)] }
        let quadrants = image(64, 32, channels: 3) { x, y in
            switch (x < 32, y < 16) {
            case (true, true): return [200, 40, 40]
            case (false, true): return [40, 200, 40]
            case (true, false): return [40, 40, 200]
            case (false, false): return [255, 255, 0]
            }
        }
        let scale = image(64, 48, channels: 3) { x, y in [4 * x, 5 * y, 128] }
        let inks: [[UInt8]] = [[255, 0, 0, 0], [0, 255, 0, 0], [0, 0, 0, 128], [64, 128, 0, 32]]
        var cmyk: [UInt8] = []
        for _ in 0..<16 {
            for x in 0..<64 { cmyk += inks[x / 16] }
        }

        var files: [(String, [UInt8])] = [
            ("jpeg/rgb-q95.jpg", try JPEG.encode(gradient, quality: 95)),
            ("jpeg/rgb-progressive-q95.jpg", try JPEG.encode(gradient, quality: 95, progressive: true)),
            ("jpeg/gray-blocks-q100.jpg", try JPEG.encode(blocks, quality: 100)),
            ("jpeg/scale-64x48.jpg", try JPEG.encode(scale, quality: 90)),
            ("jpeg/cmyk-adobe.jpg", try JPEG.encodeCMYK(width: 64, height: 16, cmyk: cmyk, quality: 100, layout: .adobe)),
            ("jpeg/cmyk-ycck.jpg", try JPEG.encodeCMYK(width: 64, height: 16, cmyk: cmyk, quality: 100, layout: .adobeYCCK)),
            ("jpeg/cmyk-plain.jpg", try JPEG.encodeCMYK(width: 64, height: 16, cmyk: cmyk, quality: 100, layout: .plain)),
        ]
        for orientation in 1...8 {
            let exif = JPEG.exifPayload(orientation: orientation, bigEndian: orientation >= 5)
            files.append(("jpeg/orientation-\(orientation).jpg", try JPEG.encode(quadrants, quality: 100, app1: exif)))
        }
        return files
    }

    /// 16x12 PNGs, one per colour type and depth; x in 0..<16, y in 0..<12.
    /// - gray8: 13x + 4y. gray16: 2999x + 1777y + 5. gray1: 1 where (x + y) % 3 == 0.
    /// - gray8-trns-key: gray8 with tRNS gray key 85 (only pixel (5, 5) is transparent).
    /// - gray-alpha8: gray 13x + 4y, alpha 255 - 20y.
    /// - rgb8 (and rgb8-adam7, interlaced): (16x, 21y, 255 - 8x - 7y).
    /// - rgb16: (4368x + 3, 5950y + 11, 65535 - 200xy). rgba8: rgb8 with alpha 9x + 8y + 10.
    /// - palette4: entry i = (17i, 255 - 17i, 53i mod 256), index (x + 2y) mod 16.
    /// - palette8-trns: 64 entries i = (4i, 7i mod 256, 255 - 4i), tRNS alpha 8i for i < 32,
    ///   index (3x + 5y) mod 64.
    static func pngFixtures() throws -> [(String, [UInt8])] {
        let (w, h) = (16, 12)
        func samples(_ perPixel: Int, _ f: (Int, Int) -> [Int]) -> [Int] {
            var out: [Int] = []
            for y in 0..<h { for x in 0..<w { out += f(x, y) } }
            precondition(out.count == w * h * perPixel)
            return out
        }
        func raw(_ type: PNGColorType, _ depth: Int, _ f: (Int, Int) -> [Int]) -> PNGRawImage {
            PNGRawImage(width: w, height: h, colorType: type, bitDepth: depth, samples: samples(type.samplesPerPixel, f))
        }
        let rgb8: (Int, Int) -> [Int] = { x, y in [16 * x, 21 * y, 255 - 8 * x - 7 * y] }

        var grayKey = raw(.gray, 8) { x, y in [13 * x + 4 * y] }
        grayKey.transparency = .grayKey(85)
        var adam7 = raw(.rgb, 8, rgb8)
        adam7.interlaced = true
        var palette4 = raw(.palette, 4) { x, y in [(x + 2 * y) % 16] }
        palette4.palette = (0..<16).flatMap { i in [17 * i, 255 - 17 * i, (53 * i) % 256].map { UInt8($0) } }
        var palette8 = raw(.palette, 8) { x, y in [(3 * x + 5 * y) % 64] }
        palette8.palette = (0..<64).flatMap { i in [4 * i, (7 * i) % 256, 255 - 4 * i].map { UInt8($0) } }
        palette8.transparency = .paletteAlpha((0..<32).map { UInt8(8 * $0) })

        let images: [(String, PNGRawImage)] = [
            ("gray8", raw(.gray, 8) { x, y in [13 * x + 4 * y] }),
            ("gray16", raw(.gray, 16) { x, y in [2999 * x + 1777 * y + 5] }),
            ("gray1", raw(.gray, 1) { x, y in [(x + y) % 3 == 0 ? 1 : 0] }),
            ("gray8-trns-key", grayKey),
            ("gray-alpha8", raw(.grayAlpha, 8) { x, y in [13 * x + 4 * y, 255 - 20 * y] }),
            ("rgb8", raw(.rgb, 8, rgb8)),
            ("rgb8-adam7", adam7),
            ("rgb16", raw(.rgb, 16) { x, y in [4368 * x + 3, 5950 * y + 11, 65535 - 200 * x * y] }),
            ("rgba8", raw(.rgba, 8) { x, y in rgb8(x, y) + [9 * x + 8 * y + 10] }),
            ("palette4", palette4),
            ("palette8-trns", palette8),
        ]
        return try images.map { name, image in ("png/\(name).png", try PNG.encode(raw: image, compressionLevel: 9)) }
    }

    /// Damaged and mislabelled files, each made from a good fixture by one described edit.
    static func corruptTwins(jpeg: [(String, [UInt8])], png: [(String, [UInt8])]) throws -> [(String, [UInt8])] {
        func bytes(_ name: String) throws -> [UInt8] {
            guard let file = (jpeg + png).first(where: { $0.0 == name }) else {
                throw DataPrepError.notADataset(path: name, reason: "fixture generator: no fixture named \(name)")
            }
            return file.1
        }
        let goodJPEG = try bytes("jpeg/rgb-q95.jpg")
        let goodPNG = try bytes("png/rgb8.png")

        // Cut halfway through the entropy-coded data that follows the SOS segment.
        let sos = try offset(of: [0xff, 0xda], in: goodJPEG)
        let scanStart = sos + 2 + (Int(goodJPEG[sos + 2]) << 8 | Int(goodJPEG[sos + 3]))
        let truncatedJPEG = Array(goodJPEG[..<((scanStart + goodJPEG.count - 2) / 2)])

        // Flip every bit of the SOF0 sample precision (8 -> 247): libjpeg refuses the frame.
        var badHeader = goodJPEG
        badHeader[try offset(of: [0xff, 0xc0], in: goodJPEG) + 4] ^= 0xff

        // Cut in the middle of the (single) IDAT chunk's data.
        let idat = try offset(of: Array("IDAT".utf8), in: goodPNG)
        let idatLength = Int(goodPNG.bigEndianUInt32(at: idat - 4))
        let truncatedPNG = Array(goodPNG[..<(idat + 4 + idatLength / 2)])

        // Flip the last byte of the IDAT chunk's CRC.
        var badCRC = goodPNG
        badCRC[idat + 4 + idatLength + 3] ^= 0xff

        return [
            ("jpeg/truncated.jpg", truncatedJPEG),
            ("jpeg/bad-header.jpg", badHeader),
            ("jpeg/html-404.jpg", Array("<html>404 Not Found</html>\n".utf8)),
            ("jpeg/empty.jpg", []),
            ("jpeg/png-renamed.jpg", goodPNG),
            ("png/truncated.png", truncatedPNG),
            ("png/bad-crc.png", badCRC),
            ("png/empty.png", []),
            ("png/jpeg-renamed.png", goodJPEG),
        ]
    }

    /// The first offset of `needle` in `haystack`.
    static func offset(of needle: [UInt8], in haystack: [UInt8]) throws -> Int {
        if haystack.count >= needle.count {
            for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
                return i
            }
        }
        throw DataPrepError.notADataset(path: "(fixture generator)", reason: "marker \(needle.hexPrefix(needle.count)) not found")
    }
}
