/// What a JPEG header says, read without decoding any pixel.
public struct JPEGInfo: Equatable, Sendable {
    /// Stored size in pixels, before any EXIF orientation is applied.
    public var width: Int
    public var height: Int
    /// Components in the frame: 1 (gray), 3 (YCbCr or RGB) or 4 (CMYK or YCCK).
    public var components: Int
    public var colorSpace: JPEGColorSpace
    /// Whether the frame is progressive (SOF2): such files keep a whole-image coefficient buffer
    /// while decoding, about 2 bytes per pixel per component.
    public var isProgressive: Bool
    /// EXIF orientation 1...8 (tag 0x0112 of IFD0); 1 when absent or malformed.
    public var orientation: Int

    public init(width: Int, height: Int, components: Int, colorSpace: JPEGColorSpace,
                isProgressive: Bool, orientation: Int) {
        self.width = width
        self.height = height
        self.components = components
        self.colorSpace = colorSpace
        self.isProgressive = isProgressive
        self.orientation = orientation
    }

    /// Whether the orientation turns the image by 90 degrees (5...8), swapping width and height.
    public var orientationSwapsAxes: Bool { orientation >= 5 }

    /// The size as displayed, after the EXIF orientation.
    public var orientedWidth: Int { orientationSwapsAxes ? height : width }
    public var orientedHeight: Int { orientationSwapsAxes ? width : height }
}

/// The colour space of the coded data, as libjpeg infers it from the JFIF/Adobe markers.
public enum JPEGColorSpace: String, Sendable, CaseIterable {
    case gray
    case ycbcr
    case rgb
    /// Four ink planes; Photoshop (Adobe APP14 marker) stores them inverted.
    case cmyk
    /// CMYK with C, M, Y coded as YCbCr (Adobe transform 2).
    case ycck
    /// A component count or transform libjpeg cannot name (e.g. 2 components).
    case unknown
}
