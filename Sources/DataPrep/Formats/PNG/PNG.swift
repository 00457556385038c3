internal import CPNG

/// PNG decoding and encoding through libpng, behind the `CPNG` shim that owns libpng's `setjmp`.
///
/// Every failure is a `DataPrepError` naming the file: nothing here aborts or prints.
/// `name` is whatever identifies the bytes to a user: a path or `archive.zip:member`.
public enum PNG {
    /// The 8-byte signature every PNG opens with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

    /// Decodes a PNG held in memory into 8-bit gray, RGB or RGBA (see `PNGReadMode`).
    ///
    /// Lossless: the result holds exactly the stored samples (8-bit files) or their rounding
    /// (16-bit files). The pixel buffer is allocated once, after the size check, and libpng
    /// decodes straight into it.
    /// - Throws: `.emptyFile`; `.wrongMagic` (with a hint when the bytes are another format);
    ///   `.corrupt` with libpng's message (bad CRC, bad zlib data; truncation carries the offset
    ///   where the data ended); `.limitExceeded` when the output exceeds `options.maxBytes`.
    public static func decode(_ bytes: [UInt8], name: String, options: PNGDecodeOptions = .init()) throws -> Image {
        try checkSignature(bytes, name: name)
        return try bytes.withUnsafeBufferPointer { input in
            guard let handle = cpng_decoder_create(options.strict ? 1 : 0) else {
                throw DataPrepError.io(path: name, reason: "out of memory creating a PNG decoder")
            }
            defer { cpng_decoder_destroy(handle) }
            var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
            let convention = Int32(options.opencvSamples ? CPNG_CONVENTION_OPENCV : CPNG_CONVENTION_PILLOW)
            try check(cpng_decoder_read_header(handle, input.baseAddress, input.count, options.mode.code, convention,
                                               &width, &height, &channels), handle, name)
            let (w, h, c) = (Int(width), Int(height), Int(channels))
            try DecodeLimit.check(path: name, width: w, height: h, channels: c, maxBytes: options.maxBytes)
            let count = w * h * c
            let pixels = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                try check(cpng_decoder_decode(handle, buffer.baseAddress, count), handle, name)
                initialized = count
            }
            return Image(width: w, height: h, channels: c, pixels: pixels)
        }
    }

    /// Reads and decodes the file at `path`.
    public static func decode(contentsOf path: String, options: PNGDecodeOptions = .init()) throws -> Image {
        try decode(FileIO.read(path), name: path, options: options)
    }

    /// Throws `.emptyFile` or `.wrongMagic`; a signature damaged by a text-mode transfer (CR LF
    /// rewritten) is named as such.
    static func checkSignature(_ bytes: [UInt8], name: String) throws {
        if bytes.isEmpty { throw DataPrepError.emptyFile(path: name) }
        if bytes.starts(with: signature) { return }
        var hint = FileSignature.hint(for: bytes)
        if bytes.count < signature.count, signature.starts(with: bytes) {
            hint = "the file is only \(bytes.count) bytes long: truncated"
        } else if bytes.starts(with: [0x89, 0x50, 0x4e, 0x47]) {
            hint = "the signature's line-ending bytes were altered: the file was transferred in text mode"
        }
        throw DataPrepError.wrongMagic(path: name, expected: "PNG signature 89 50 4e 47 0d 0a 1a 0a",
                                       found: bytes.hexPrefix(8), hint: hint)
    }

    private static func check(_ status: Int32, _ handle: OpaquePointer, _ name: String) throws {
        if status == Int32(CPNG_OK) { return }
        let message = String(cString: cpng_decoder_message(handle))
        switch status {
        case Int32(CPNG_ERROR_TRUNCATED):
            throw DataPrepError.corrupt(path: name, offset: cpng_decoder_offset(handle), reason: message)
        case Int32(CPNG_ERROR_NO_MEMORY):
            throw DataPrepError.io(path: name, reason: "out of memory decoding PNG")
        default:
            throw DataPrepError.corrupt(path: name, offset: nil, reason: message)
        }
    }
}

extension PNGReadMode {
    /// The shim's CPNG_MODE_* value.
    var code: Int32 {
        switch self {
        case .native: return Int32(CPNG_MODE_NATIVE)
        case .gray: return Int32(CPNG_MODE_GRAY)
        case .rgb: return Int32(CPNG_MODE_RGB)
        case .rgba: return Int32(CPNG_MODE_RGBA)
        }
    }
}
