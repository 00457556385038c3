import DataPrep

/// How photos are decoded and which channels a dataset gets (the CLI's `--decode`,
/// `--grayscale`/`--color`), shared by every workflow that decodes photos.
public struct DecodeChoice: Sendable {
    /// The channels asked for; nil keeps the source's (gray only when every image is gray).
    public var color: ColorMode?
    public var decode: DecodeMode

    public init(color: ColorMode? = nil, decode: DecodeMode = .scaled) {
        self.color = color
        self.decode = decode
    }
}
