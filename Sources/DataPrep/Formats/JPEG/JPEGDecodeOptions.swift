/// How `JPEG.decode` should shape its output.
public struct JPEGDecodeOptions: Sendable, Equatable {
    /// Gray (1 channel) or RGB (3). From YCbCr, gray is the coded Y plane (the chroma planes are
    /// not even inverse-transformed, which is why gray decodes are faster); from RGB and CMYK it
    /// is ITU-R 601 luma.
    public var color: ColorMode = .rgb
    /// Rotate/flip by the EXIF orientation so the result is upright, as viewers show it.
    public var applyOrientation = true
    /// The smallest output wanted, measured after orientation. When set (> 0), the decoder picks
    /// the smallest DCT scale M/8 (M = 1...8) whose output is still at least this size: decoding
    /// fewer coefficients is much faster than decoding fully and resizing. 0 = full size.
    public var minimumWidth = 0
    public var minimumHeight = 0
    /// Treat libjpeg warnings as errors: truncated files ("Premature end of JPEG file"), which
    /// libjpeg would otherwise pad with gray, and corrupt entropy data. On by default so damaged
    /// photos are reported instead of silently entering a dataset.
    public var strict = true
    /// Refuse images whose output (width x height x channels), or whose progressive coefficient
    /// buffer, would exceed this many bytes: checked before anything large is allocated.
    public var maxBytes = DecodeLimit.defaultMaxBytes
    /// Turn CMYK into RGB/gray as `cv2.imread` does (every file taken as Adobe-inverted, the
    /// division by 255 approximated by a shift, gray by cvtColor's weights) instead of exactly.
    public var opencvCMYK = false

    public init(color: ColorMode = .rgb, applyOrientation: Bool = true, minimumWidth: Int = 0,
                minimumHeight: Int = 0, strict: Bool = true) {
        self.color = color
        self.applyOrientation = applyOrientation
        self.minimumWidth = minimumWidth
        self.minimumHeight = minimumHeight
        self.strict = strict
    }
}
