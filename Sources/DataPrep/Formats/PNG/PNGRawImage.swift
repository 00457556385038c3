/// A PNG's content in the file's own sample layout: any colour type and bit depth the format
/// allows, plus palette and transparency. What `PNG.encode(raw:)` writes; used for fixtures that
/// our 8-bit `Image` cannot express (16-bit, 1-bit, palettes).
public struct PNGRawImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var colorType: PNGColorType
    public var bitDepth: Int
    /// `height` rows of `rowBytes` each, without PNG's filter byte: samples of under 8 bits are
    /// packed most significant bit first, 16-bit samples are big-endian.
    public var scanlines: [UInt8]
    /// RGB triples, 1...256 of them; required for `.palette`, optional (a suggestion) otherwise.
    public var palette: [UInt8] = []
    public var transparency: PNGTransparency? = nil
    public var interlaced = false

    public init(width: Int, height: Int, colorType: PNGColorType, bitDepth: Int, scanlines: [UInt8]) {
        self.width = width
        self.height = height
        self.colorType = colorType
        self.bitDepth = bitDepth
        self.scanlines = scanlines
    }

    /// Packs one integer per sample (row-major, `samplesPerPixel` per pixel, each in
    /// 0 ..< 2^bitDepth) into PNG scanlines.
    /// - Precondition: `samples.count == width * height * samplesPerPixel` and values fit.
    public init(width: Int, height: Int, colorType: PNGColorType, bitDepth: Int, samples: [Int]) {
        let perRow = width * colorType.samplesPerPixel
        precondition(samples.count == perRow * height,
                     "PNGRawImage needs \(perRow * height) samples for \(width)x\(height) \(colorType), got \(samples.count)")
        let limit = 1 << bitDepth
        let rowBytes = (perRow * bitDepth + 7) / 8
        var bytes = [UInt8](repeating: 0, count: rowBytes * height)
        for y in 0..<height {
            for i in 0..<perRow {
                let value = samples[y * perRow + i]
                precondition(value >= 0 && value < limit, "sample \(value) does not fit in \(bitDepth) bits")
                let row = y * rowBytes
                switch bitDepth {
                case 16:
                    bytes[row + 2 * i] = UInt8(value >> 8)
                    bytes[row + 2 * i + 1] = UInt8(value & 0xff)
                case 8:
                    bytes[row + i] = UInt8(value)
                default:  // 1, 2, 4: leftmost sample in the highest bits
                    let bit = i * bitDepth
                    bytes[row + bit / 8] |= UInt8(value << (8 - bitDepth - bit % 8))
                }
            }
        }
        self.init(width: width, height: height, colorType: colorType, bitDepth: bitDepth, scanlines: bytes)
    }

    /// Bytes per scanline: `ceil(width * samplesPerPixel * bitDepth / 8)`.
    public var rowBytes: Int { (width * colorType.samplesPerPixel * bitDepth + 7) / 8 }
}

/// PNG's tRNS chunk.
public enum PNGTransparency: Sendable, Equatable {
    /// Alpha for the first palette entries (the rest stay opaque).
    case paletteAlpha([UInt8])
    /// The gray sample value (at the file's bit depth) that is fully transparent.
    case grayKey(UInt16)
    /// The RGB sample values (at the file's bit depth) that are fully transparent.
    case rgbKey(red: UInt16, green: UInt16, blue: UInt16)
}
