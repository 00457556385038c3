internal import CJPEG

/// JPEG decoding through libjpeg-turbo, behind the `CJPEG` shim that owns libjpeg's `setjmp`.
///
/// Every failure is a `DataPrepError` naming the file: nothing here exits, aborts or prints.
/// `name` is whatever identifies the bytes to a user: a path or `archive.zip:member`.
public enum JPEG {
    /// The start-of-image marker and the first byte of the next marker: every JPEG opens so.
    static let magic: [UInt8] = [0xff, 0xd8, 0xff]

    /// The header fields, EXIF orientation included, without decoding pixels.
    ///
    /// Lenient about libjpeg warnings in the markers (a decode in strict mode still reports them):
    /// the header is the question here.
    public static func readInfo(_ bytes: [UInt8], name: String) throws -> JPEGInfo {
        try checkSignature(bytes, name: name)
        return try bytes.withUnsafeBufferPointer { input in
            let decoder = try Decoder(strict: false, name: name)
            defer { decoder.close() }
            return try decoder.readHeader(input, wantOrientation: true)
        }
    }

    /// Decodes a JPEG held in memory.
    ///
    /// Order of work: signature check, header, colour-space and size checks, then one allocation
    /// of exactly the output size which libjpeg decodes into, then (if needed) the orientation.
    /// - Throws: `.emptyFile`; `.wrongMagic` (with a hint when the bytes are another format);
    ///   `.corrupt` with libjpeg's message; `.unsupported` for colour layouts with no RGB
    ///   meaning; `.limitExceeded` for outputs over `options.maxBytes`.
    public static func decode(_ bytes: [UInt8], name: String, options: JPEGDecodeOptions = .init()) throws -> Image {
        try checkSignature(bytes, name: name)
        return try bytes.withUnsafeBufferPointer { input in
            let decoder = try Decoder(strict: options.strict, name: name)
            defer { decoder.close() }
            let info = try decoder.readHeader(input, wantOrientation: options.applyOrientation)
            if info.colorSpace == .unknown {
                throw DataPrepError.unsupported(path: name, reason: "JPEG with \(info.components) components in no colour space libjpeg can convert")
            }
            if info.isProgressive {
                // libjpeg keeps every DCT coefficient (2 bytes per sample) of a progressive image
                // until the last scan, whatever the output scale.
                try DecodeLimit.check(path: name, width: info.width, height: info.height,
                                      channels: 2 * info.components, maxBytes: options.maxBytes,
                                      what: "progressive JPEG coefficient bytes")
            }
            let orientation = options.applyOrientation ? info.orientation : 1
            // The minimum is asked for the upright image; libjpeg scales the stored one.
            let swap = orientation >= 5
            let minWidth = swap ? options.minimumHeight : options.minimumWidth
            let minHeight = swap ? options.minimumWidth : options.minimumHeight
            let channels = options.color.channels
            let (width, height) = try decoder.prepare(channels: channels, minWidth: minWidth, minHeight: minHeight,
                                                     maxMemory: options.maxBytes, opencvCMYK: options.opencvCMYK)
            try DecodeLimit.check(path: name, width: width, height: height, channels: channels, maxBytes: options.maxBytes)
            let pixels = try decoder.decode(count: width * height * channels)
            let image = Image(width: width, height: height, channels: channels, pixels: pixels)
            return orientation == 1 ? image : image.applyingEXIFOrientation(orientation)
        }
    }

    /// Reads and decodes the file at `path`.
    public static func decode(contentsOf path: String, options: JPEGDecodeOptions = .init()) throws -> Image {
        try decode(FileIO.read(path), name: path, options: options)
    }

    /// Throws `.emptyFile` or `.wrongMagic` before libjpeg sees the bytes, so the error says what
    /// the file is instead of libjpeg's "Not a JPEG file: starts with 0x89 0x50".
    static func checkSignature(_ bytes: [UInt8], name: String) throws {
        if bytes.isEmpty { throw DataPrepError.emptyFile(path: name) }
        if !bytes.starts(with: magic) {
            throw DataPrepError.wrongMagic(path: name, expected: "JPEG SOI ff d8 ff", found: bytes.hexPrefix(4),
                                           hint: FileSignature.hint(for: bytes))
        }
    }
}

extension JPEG {
    /// One libjpeg decompressor, valid inside the `withUnsafeBufferPointer` of its input.
    /// A struct around the C handle rather than a class: its whole life is one function call.
    struct Decoder {
        let handle: OpaquePointer
        let name: String

        init(strict: Bool, name: String) throws {
            guard let handle = cjpeg_decoder_create(strict ? 1 : 0) else {
                throw DataPrepError.io(path: name, reason: "out of memory creating a JPEG decoder")
            }
            self.handle = handle
            self.name = name
        }

        func close() { cjpeg_decoder_destroy(handle) }

        func readHeader(_ input: UnsafeBufferPointer<UInt8>, wantOrientation: Bool) throws -> JPEGInfo {
            var raw = cjpeg_info()
            try check(cjpeg_decoder_read_header(handle, input.baseAddress, input.count, wantOrientation ? 1 : 0, &raw))
            return JPEGInfo(width: Int(raw.width), height: Int(raw.height), components: Int(raw.num_components),
                            colorSpace: JPEGColorSpace(code: raw.color_space), isProgressive: raw.progressive != 0,
                            orientation: Int(raw.orientation))
        }

        func prepare(channels: Int, minWidth: Int, minHeight: Int, maxMemory: Int, opencvCMYK: Bool) throws -> (Int, Int) {
            var width: Int32 = 0, height: Int32 = 0
            let clamp = { (v: Int) in Int32(clamping: max(0, v)) }
            let cmyk = Int32(opencvCMYK ? CJPEG_CMYK_OPENCV : CJPEG_CMYK_EXACT)
            try check(cjpeg_decoder_prepare(handle, Int32(channels), clamp(minWidth), clamp(minHeight),
                                            max(0, maxMemory), cmyk, &width, &height))
            return (Int(width), Int(height))
        }

        func decode(count: Int) throws -> [UInt8] {
            try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                try check(cjpeg_decoder_decode(handle, buffer.baseAddress, count))
                initialized = count
            }
        }

        private func check(_ status: Int32) throws {
            if status == Int32(CJPEG_OK) { return }
            let message = String(cString: cjpeg_decoder_message(handle))
            switch status {
            case Int32(CJPEG_ERROR_UNSUPPORTED): throw DataPrepError.unsupported(path: name, reason: message)
            case Int32(CJPEG_ERROR_NO_MEMORY): throw DataPrepError.io(path: name, reason: "out of memory decoding JPEG")
            default: throw DataPrepError.corrupt(path: name, offset: nil, reason: message)
            }
        }
    }
}

extension JPEGColorSpace {
    init(code: Int32) {
        switch code {
        case Int32(CJPEG_CS_GRAY): self = .gray
        case Int32(CJPEG_CS_RGB): self = .rgb
        case Int32(CJPEG_CS_YCBCR): self = .ycbcr
        case Int32(CJPEG_CS_CMYK): self = .cmyk
        case Int32(CJPEG_CS_YCCK): self = .ycck
        default: self = .unknown
        }
    }
}
