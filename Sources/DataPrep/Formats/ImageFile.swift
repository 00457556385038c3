/// Decodes a JPEG or PNG chosen by its magic bytes, not its file name: photo collections hold
/// PNGs named `.jpg` and HTML pages named `.jpg`, and only the bytes tell which.
public enum ImageFile {
    /// What a full validation pass learned about one file.
    public struct Probe: Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// 1 for grayscale sources, 3 for colour (PNG alpha is not counted).
        public var channels: Int
    }

    /// Decodes to `color`. In `.scaled` mode, when `minimumSize` is given, JPEGs use libjpeg's
    /// DCT scaling to the smallest size that still covers it (the caller resizes the rest of the
    /// way); `.full` decodes at full size with `cv2.imread`'s conventions (see `DecodeMode`).
    public static func decode(_ bytes: [UInt8], name: String, color: ColorMode,
                              minimumSize: (width: Int, height: Int)? = nil, mode: DecodeMode = .scaled) throws -> Image {
        switch try kind(of: bytes, name: name) {
        case .jpeg:
            var options = JPEGDecodeOptions(color: color)
            switch mode {
            case .scaled:
                options.minimumWidth = minimumSize?.width ?? 0
                options.minimumHeight = minimumSize?.height ?? 0
            case .full:
                options.opencvCMYK = true
            }
            return try JPEG.decode(bytes, name: name, options: options)
        case .png:
            let options = PNGDecodeOptions(mode: PNGReadMode(color), opencvSamples: mode == .full)
            return try PNG.decode(bytes, name: name, options: options)
        }
    }

    /// The displayed size and channel count from the header alone (EXIF orientation applied),
    /// counting channels as `probe` does. Cheap: no pixel is decoded, so a whole folder can be
    /// checked for one common size before anything is allocated.
    public static func header(_ bytes: [UInt8], name: String) throws -> Probe {
        switch try kind(of: bytes, name: name) {
        case .jpeg:
            let info = try JPEG.readInfo(bytes, name: name)
            return Probe(width: info.orientedWidth, height: info.orientedHeight, channels: info.components == 1 ? 1 : 3)
        case .png:
            let info = try PNG.readInfo(bytes, name: name)
            return Probe(width: info.width, height: info.height, channels: info.colorType == .gray && !info.hasAlpha ? 1 : 3)
        }
    }

    /// Checks the whole file decodes (every entropy-coded byte of a JPEG is read, at 1/8 scale
    /// for speed) and returns its displayed size, EXIF orientation applied.
    public static func probe(_ bytes: [UInt8], name: String) throws -> Probe {
        switch try kind(of: bytes, name: name) {
        case .jpeg:
            let info = try JPEG.readInfo(bytes, name: name)
            let gray = info.components == 1
            _ = try JPEG.decode(bytes, name: name, options: JPEGDecodeOptions(color: gray ? .gray : .rgb, minimumWidth: 1, minimumHeight: 1))
            return Probe(width: info.orientedWidth, height: info.orientedHeight, channels: gray ? 1 : 3)
        case .png:
            let image = try PNG.decode(bytes, name: name, options: PNGDecodeOptions(mode: .native))
            return Probe(width: image.width, height: image.height, channels: image.channels == 1 ? 1 : 3)
        }
    }

    enum Kind { case jpeg, png }

    static func kind(of bytes: [UInt8], name: String) throws -> Kind {
        guard !bytes.isEmpty else { throw DataPrepError.emptyFile(path: name) }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        throw DataPrepError.wrongMagic(path: name, expected: "a JPEG (ff d8 ff) or PNG (89 50 4e 47) signature",
                                       found: bytes.hexPrefix(4), hint: FileSignature.hint(for: bytes))
    }
}
