internal import CJPEG

/// How `JPEG.encodeCMYK` stores four ink planes, for fixtures that cover each decoder path.
public enum JPEGCMYKLayout: Sendable, CaseIterable {
    /// CMYK planes, inverted (255 = no ink), Adobe APP14 marker with transform 0: what
    /// Photoshop writes.
    case adobe
    /// YCCK planes (C, M, Y coded as YCbCr from the inverted values), Adobe transform 2.
    case adobeYCCK
    /// CMYK planes as given (0 = no ink), no Adobe marker.
    case plain
}

extension JPEG {
    /// Compresses a gray or RGB image (libjpeg defaults: 4:2:0 chroma for RGB, optimised Huffman
    /// tables off, islow DCT).
    /// - Parameters:
    ///   - quality: 1...100 (libjpeg's scale; 100 still quantizes, but solid blocks survive exactly).
    ///   - progressive: libjpeg's standard progression script (`jpeg_simple_progression`).
    ///   - app1: a raw APP1 payload (e.g. `"Exif\0\0"` + TIFF) written right after SOI, at most
    ///     65533 bytes; the JFIF APP0 marker is then left out, as EXIF requires.
    /// - Throws: `.unsupported` for RGBA images (JPEG has no alpha) or out-of-range arguments.
    public static func encode(_ image: Image, quality: Int = 90, progressive: Bool = false,
                              app1: [UInt8]? = nil) throws -> [UInt8] {
        guard image.channels != 4 else {
            throw DataPrepError.unsupported(path: encoderName, reason: "JPEG stores no alpha: convert the RGBA image to RGB first")
        }
        return try compress(pixels: image.pixels, width: image.width, height: image.height, components: image.channels,
                            layout: .adobe, quality: quality, progressive: progressive, app1: app1)
    }

    /// Compresses CMYK ink values (`width * height * 4` bytes, 0 = no ink, 255 = full ink) into
    /// the chosen layout, so that decoding gives R = (255 - C)(255 - K) / 255 and likewise for G
    /// (from M) and B (from Y), up to compression error.
    public static func encodeCMYK(width: Int, height: Int, cmyk: [UInt8], quality: Int = 90,
                                  layout: JPEGCMYKLayout = .adobe) throws -> [UInt8] {
        guard cmyk.count == width * height * 4 else {
            throw DataPrepError.sizeMismatch(path: encoderName, expected: "\(width)x\(height)x4 = \(width * height * 4) bytes",
                                             found: cmyk.count)
        }
        let stored = layout == .plain ? cmyk : cmyk.map { 255 - $0 }  // Adobe stores inverted inks
        return try compress(pixels: stored, width: width, height: height, components: 4, layout: layout,
                            quality: quality, progressive: false, app1: nil)
    }

    /// The name encoder errors carry in place of a file path.
    static let encoderName = "(JPEG encoder)"

    private static func compress(pixels: [UInt8], width: Int, height: Int, components: Int, layout: JPEGCMYKLayout,
                                 quality: Int, progressive: Bool, app1: [UInt8]?) throws -> [UInt8] {
        var params = cjpeg_encode_params()
        params.width = Int32(clamping: width)
        params.height = Int32(clamping: height)
        params.components = Int32(components)
        params.cmyk_layout = Int32(layout == .adobe ? CJPEG_CMYK_ADOBE : layout == .adobeYCCK ? CJPEG_CMYK_ADOBE_YCCK : CJPEG_CMYK_PLAIN)
        params.quality = Int32(clamping: quality)
        params.progressive = progressive ? 1 : 0
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: Int(CJPEG_MESSAGE_CAPACITY))
        let status = pixels.withUnsafeBufferPointer { input in
            withOptionalBuffer(app1) { payload in
                params.app1 = payload?.baseAddress
                params.app1_size = payload?.count ?? 0
                return cjpeg_encode(&params, input.baseAddress, &output, &size, &message, Int(CJPEG_MESSAGE_CAPACITY))
            }
        }
        defer { cjpeg_free(output) }
        guard status == Int32(CJPEG_OK), let output else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if status == Int32(CJPEG_ERROR_USAGE) { throw DataPrepError.unsupported(path: encoderName, reason: text) }
            throw DataPrepError.corrupt(path: encoderName, offset: nil, reason: text)
        }
        return [UInt8](UnsafeBufferPointer(start: output, count: size))
    }
}

/// Runs `body` with a pointer to `bytes`' storage, or with nil when there are no bytes.
func withOptionalBuffer<R>(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
    guard let bytes else { return try body(nil) }
    return try bytes.withUnsafeBufferPointer { try body($0) }
}

extension JPEG {
    /// A minimal EXIF APP1 payload holding only an orientation, for `encode(_:app1:)`.
    ///
    /// Layout: `"Exif\0\0"`, TIFF header (`II*\0` or `MM\0*`, IFD0 at offset 8), IFD0 with two
    /// entries, Make (0x010F, ASCII "DP") then Orientation (0x0112, SHORT), and a zero next-IFD
    /// offset. The Make entry comes first so readers must walk the IFD, not peek at entry 0.
    /// - Parameters:
    ///   - orientation: the tag value, written as given (1...8 are meaningful).
    ///   - bigEndian: Motorola (`MM`) byte order instead of Intel (`II`); cameras write both.
    public static func exifPayload(orientation: Int, bigEndian: Bool = false) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] {
            let b = [UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
            return bigEndian ? b : b.reversed()
        }
        func u32(_ v: Int) -> [UInt8] {
            let b = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) }
            return bigEndian ? b : b.reversed()
        }
        var bytes = Array("Exif".utf8) + [0, 0]
        bytes += bigEndian ? Array("MM".utf8) : Array("II".utf8)
        bytes += u16(42) + u32(8)
        bytes += u16(2)
        bytes += u16(0x010F) + u16(2) + u32(3) + Array("DP".utf8) + [0, 0]  // 3 bytes "DP\0", inline
        bytes += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + [0, 0]
        bytes += u32(0)
        return bytes
    }
}
