/// The size guard every image decoder applies between reading a header and allocating pixels.
///
/// A 100-byte file can declare a 65535x65535 image; allocating first and failing later would take
/// the process down (or swap the machine) on a single hostile or damaged file.
public enum DecodeLimit {
    /// 512 MiB: ten times a 48-megapixel RGB photo, far beyond any classification dataset.
    public static let defaultMaxBytes = 512 << 20

    /// Throws `.limitExceeded` when `width * height * channels` exceeds `maxBytes` (computed
    /// without overflow).
    static func check(path: String, width: Int, height: Int, channels: Int, maxBytes: Int,
                      what: String = "decoded image bytes") throws {
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (bytes, o2) = pixels.multipliedReportingOverflow(by: channels)
        let found = o1 || o2 ? Int.max : bytes
        if found > maxBytes {
            throw DataPrepError.limitExceeded(path: path, what: "\(what) (\(width)x\(height)x\(channels))",
                                              limit: maxBytes, found: found)
        }
    }
}
