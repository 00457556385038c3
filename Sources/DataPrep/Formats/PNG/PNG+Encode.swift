internal import CPNG

extension PNG {
    /// The name encoder errors carry in place of a file path.
    static let encoderName = "(PNG encoder)"

    /// Encodes an 8-bit gray, RGB or RGBA image, losslessly.
    /// - Parameter compressionLevel: zlib level 0...9; 6 is zlib's own default balance.
    public static func encode(_ image: Image, compressionLevel: Int = 6) throws -> [UInt8] {
        let colorType: PNGColorType = image.channels == 1 ? .gray : image.channels == 3 ? .rgb : .rgba
        let raw = PNGRawImage(width: image.width, height: image.height, colorType: colorType, bitDepth: 8,
                              scanlines: image.pixels)
        return try encode(raw: raw, compressionLevel: compressionLevel)
    }

    /// Encodes and writes atomically (temporary sibling, fsync, rename) to `path`.
    public static func write(_ image: Image, to path: String, compressionLevel: Int = 6) throws {
        try FileIO.writeAtomically(encode(image, compressionLevel: compressionLevel), to: path)
    }

    /// Encodes samples already in PNG layout, any colour type and bit depth.
    /// - Throws: `.sizeMismatch` when `scanlines` is not `height * rowBytes` bytes;
    ///   `.unsupported` with libpng's reason for combinations PNG forbids (e.g. 16-bit palette).
    public static func encode(raw: PNGRawImage, compressionLevel: Int = 6) throws -> [UInt8] {
        let expected = raw.height * raw.rowBytes
        guard raw.scanlines.count == expected, raw.width > 0, raw.height > 0 else {
            throw DataPrepError.sizeMismatch(path: encoderName, expected: "\(raw.height) rows of \(raw.rowBytes) bytes = \(expected)",
                                             found: raw.scanlines.count)
        }
        guard raw.palette.count % 3 == 0, raw.palette.count <= 768, raw.colorType != .palette || !raw.palette.isEmpty else {
            throw DataPrepError.unsupported(path: encoderName, reason: "palette must hold 1...256 RGB triples, got \(raw.palette.count) bytes")
        }
        guard (0...9).contains(compressionLevel) else {
            throw DataPrepError.unsupported(path: encoderName, reason: "compression level must be 0...9, got \(compressionLevel)")
        }
        var params = cpng_encode_params()
        params.width = Int32(clamping: raw.width)
        params.height = Int32(clamping: raw.height)
        params.color_type = Int32(raw.colorType.rawValue)
        params.bit_depth = Int32(clamping: raw.bitDepth)
        params.interlaced = raw.interlaced ? 1 : 0
        params.compression_level = Int32(compressionLevel)
        params.palette_entries = Int32(raw.palette.count / 3)
        var alpha: [UInt8]? = nil
        switch raw.transparency {
        case nil: break
        case let .paletteAlpha(values): alpha = values
        case let .grayKey(value): params.has_trns_key = 1; params.trns_key = (value, 0, 0)
        case let .rgbKey(r, g, b): params.has_trns_key = 1; params.trns_key = (r, g, b)
        }
        params.trns_alpha_entries = Int32(alpha?.count ?? 0)

        var output: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: Int(CPNG_MESSAGE_CAPACITY))
        let status = raw.scanlines.withUnsafeBufferPointer { rows in
            withOptionalBuffer(raw.palette.isEmpty ? nil : raw.palette) { palette in
                withOptionalBuffer(alpha) { alphaValues in
                    params.palette = palette?.baseAddress
                    params.trns_alpha = alphaValues?.baseAddress
                    return cpng_encode(&params, rows.baseAddress, raw.rowBytes, &output, &size, &message,
                                       Int(CPNG_MESSAGE_CAPACITY))
                }
            }
        }
        defer { cpng_free(output) }
        guard status == Int32(CPNG_OK), let output else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DataPrepError.unsupported(path: encoderName, reason: text.isEmpty ? "libpng failed (status \(status))" : text)
        }
        return [UInt8](UnsafeBufferPointer(start: output, count: size))
    }
}
