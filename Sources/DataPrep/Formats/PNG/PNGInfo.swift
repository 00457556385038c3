internal import CZlib

/// The colour types of PNG's IHDR chunk, with their numeric codes.
public enum PNGColorType: Int, Sendable, CaseIterable {
    case gray = 0
    case rgb = 2
    case palette = 3
    case grayAlpha = 4
    case rgba = 6

    /// Samples per pixel as stored (a palette index is one sample).
    public var samplesPerPixel: Int {
        switch self {
        case .gray, .palette: return 1
        case .grayAlpha: return 2
        case .rgb: return 3
        case .rgba: return 4
        }
    }

    /// The bit depths the PNG specification allows for this colour type (table 11.1).
    public var allowedBitDepths: [Int] {
        switch self {
        case .gray: return [1, 2, 4, 8, 16]
        case .palette: return [1, 2, 4, 8]
        case .rgb, .grayAlpha, .rgba: return [8, 16]
        }
    }
}

/// What a PNG's IHDR (and any tRNS before the image data) says, without inflating pixels.
public struct PNGInfo: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var colorType: PNGColorType
    public var bitDepth: Int
    /// Adam7 interlacing.
    public var isInterlaced: Bool
    /// A tRNS chunk precedes the image data: palette alpha or a transparent colour key, so the
    /// native decode has an alpha channel even without an alpha colour type.
    public var hasTransparency: Bool

    public init(width: Int, height: Int, colorType: PNGColorType, bitDepth: Int, isInterlaced: Bool,
                hasTransparency: Bool) {
        self.width = width
        self.height = height
        self.colorType = colorType
        self.bitDepth = bitDepth
        self.isInterlaced = isInterlaced
        self.hasTransparency = hasTransparency
    }

    /// Whether the native decode (`PNGReadMode.native`) carries alpha.
    public var hasAlpha: Bool { colorType == .grayAlpha || colorType == .rgba || hasTransparency }
}

extension PNG {
    /// Parses the signature and IHDR (offset 8: length 13, "IHDR", 13 data bytes, CRC), then
    /// walks the chunks before IDAT for tRNS. Validates the IHDR length, type, CRC (zlib's crc32
    /// over type and data) and every field against the specification.
    public static func readInfo(_ bytes: [UInt8], name: String) throws -> PNGInfo {
        try checkSignature(bytes, name: name)
        let ihdrEnd = 8 + 8 + 13 + 4
        guard bytes.count >= ihdrEnd else { throw DataPrepError.truncated(path: name, expected: ihdrEnd, found: bytes.count) }
        let length = Int(bytes.bigEndianUInt32(at: 8))
        guard Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw DataPrepError.badHeader(path: name, offset: 12, field: "first chunk type", expected: "IHDR",
                                          found: String(decoding: bytes[12..<16], as: UTF8.self))
        }
        guard length == 13 else {
            throw DataPrepError.badHeader(path: name, offset: 8, field: "IHDR length", expected: "13", found: "\(length)")
        }
        let stored = bytes.bigEndianUInt32(at: 29)
        let computed = chunkCRC(bytes, typeOffset: 12, dataLength: 13)
        guard stored == computed else {
            throw DataPrepError.corrupt(path: name, offset: 29, reason: "IHDR CRC is \(hex32(stored)), the chunk's bytes give \(hex32(computed))")
        }
        let width = Int(bytes.bigEndianUInt32(at: 16)), height = Int(bytes.bigEndianUInt32(at: 20))
        for (offset, field, value) in [(16, "width", width), (20, "height", height)] where value == 0 || value > Int(Int32.max) {
            throw DataPrepError.badHeader(path: name, offset: offset, field: field, expected: "1...2147483647", found: "\(value)")
        }
        guard let colorType = PNGColorType(rawValue: Int(bytes[25])) else {
            throw DataPrepError.badHeader(path: name, offset: 25, field: "colour type", expected: "0, 2, 3, 4 or 6", found: "\(bytes[25])")
        }
        let bitDepth = Int(bytes[24])
        guard colorType.allowedBitDepths.contains(bitDepth) else {
            throw DataPrepError.badHeader(path: name, offset: 24, field: "bit depth for colour type \(colorType.rawValue)",
                                          expected: colorType.allowedBitDepths.map(String.init).joined(separator: ", "),
                                          found: "\(bitDepth)")
        }
        for (offset, field) in [(26, "compression method"), (27, "filter method")] where bytes[offset] != 0 {
            throw DataPrepError.badHeader(path: name, offset: offset, field: field, expected: "0", found: "\(bytes[offset])")
        }
        guard bytes[28] <= 1 else {
            throw DataPrepError.badHeader(path: name, offset: 28, field: "interlace method", expected: "0 or 1", found: "\(bytes[28])")
        }
        return PNGInfo(width: width, height: height, colorType: colorType, bitDepth: bitDepth,
                       isInterlaced: bytes[28] == 1, hasTransparency: hasTransparencyChunk(bytes, from: ihdrEnd))
    }

    /// Whether a tRNS chunk appears before the first IDAT. Stops quietly at a chunk that runs past
    /// the end: damage after the header is the decoder's to report.
    private static func hasTransparencyChunk(_ bytes: [UInt8], from start: Int) -> Bool {
        var offset = start
        while offset + 8 <= bytes.count {
            let length = Int(bytes.bigEndianUInt32(at: offset))
            let type = bytes[offset + 4 ..< offset + 8]
            if type.elementsEqual("tRNS".utf8) { return true }
            if type.elementsEqual("IDAT".utf8) || type.elementsEqual("IEND".utf8) { return false }
            let (next, overflow) = offset.addingReportingOverflow(12 + length)
            if overflow { return false }
            offset = next
        }
        return false
    }

    /// CRC-32 of a chunk's type and data, as stored after them.
    static func chunkCRC(_ bytes: [UInt8], typeOffset: Int, dataLength: Int) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(crc32(0, buffer.baseAddress! + typeOffset, UInt32(4 + dataLength)))
        }
    }

    private static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
