/// The pixel layout `PNG.decode` returns, whatever the file stores.
///
/// All conversions work on stored sample values, as Pillow does: no gamma correction (gAMA,
/// sRGB and iCCP are ignored), alpha is dropped rather than composited, palettes are expanded,
/// 1/2/4-bit gray is scaled to 0...255 and 16-bit samples are rounded to 8 (round(v / 257)).
public enum PNGReadMode: String, Sendable, CaseIterable {
    /// Gray for gray files, RGB for RGB and palette files, RGBA wherever alpha exists (an alpha
    /// colour type or a tRNS chunk; gray+alpha becomes RGBA since `Image` has no 2-channel form).
    case native
    /// 1 channel; colour becomes ITU-R 601 luma exactly as Pillow's `convert('L')`.
    case gray
    /// 3 channels; gray is replicated.
    case rgb
    /// 4 channels; alpha is 255 where the file has none.
    case rgba

    /// The mode matching a decoder-independent colour choice.
    public init(_ color: ColorMode) {
        self = color == .gray ? .gray : .rgb
    }
}

/// How `PNG.decode` should shape its output.
public struct PNGDecodeOptions: Sendable, Equatable {
    public var mode: PNGReadMode = .native
    /// Also read the chunks after the image data up to IEND, so damage there (a bad CRC, a
    /// missing IEND) is reported; off accepts files whose pixels are complete.
    public var strict = true
    /// Refuse images whose output (width x height x channels) exceeds this many bytes, checked
    /// after the header and before the pixel buffer is allocated.
    public var maxBytes = DecodeLimit.defaultMaxBytes
    /// Reduce samples as `cv2.imread` does instead of as Pillow does: 16-bit samples truncated
    /// (v >> 8, libpng's strip_16) and gray from colour by libpng's rgb_to_gray with weights
    /// 0.299, 0.587 (truncating), rather than rounded and Pillow's convert('L').
    public var opencvSamples = false

    public init(mode: PNGReadMode = .native, strict: Bool = true, opencvSamples: Bool = false) {
        self.mode = mode
        self.strict = strict
        self.opencvSamples = opencvSamples
    }
}
