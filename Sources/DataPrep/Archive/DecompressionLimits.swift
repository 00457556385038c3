/// How far a compressed input may expand before decoding stops: the guard against
/// decompression bombs (a few KB that inflate to terabytes).
///
/// Two limits apply, and the smaller wins:
/// - `maxOutputBytes`, an absolute ceiling (default 8 GiB: the largest classic datasets,
///   CIFAR-100's tarball at 185 MB or MNIST's 47 MB, are far below it);
/// - `maxRatio` × compressed size, once the output is past `ratioGraceBytes`.
///
/// Measured ratios: MNIST images gz ≈ 4.8:1, CIFAR-10 tar.gz ≈ 1.1:1, JPEG zips ≈ 1:1. deflate
/// itself cannot exceed about 1032:1 (a 258-byte match costs at least 2 bits), and only
/// near-constant data comes close, so the default 1000:1 trips on essentially pure zero fill, not
/// on image data. The grace (16 MiB) lets small, highly compressible files (blank test images,
/// all-zero label files) through whatever their ratio. Every check happens before the output
/// buffer grows past the limit, so hitting it never allocates the bomb's size.
public struct DecompressionLimits: Sendable, Equatable {
    /// Absolute ceiling on decompressed bytes (per gzip file, per tar stream, per zip member).
    public var maxOutputBytes: Int
    /// Largest allowed decompressed ÷ compressed size, applied beyond `ratioGraceBytes`.
    public var maxRatio: Int
    /// Output up to this size is allowed whatever the ratio.
    public var ratioGraceBytes: Int

    public init(maxOutputBytes: Int = 8 << 30, maxRatio: Int = 1000, ratioGraceBytes: Int = 16 << 20) {
        precondition(maxOutputBytes >= 0 && maxRatio >= 0 && ratioGraceBytes >= 0,
                     "DecompressionLimits must be non-negative, got \(maxOutputBytes), \(maxRatio), \(ratioGraceBytes)")
        self.maxOutputBytes = maxOutputBytes
        self.maxRatio = maxRatio
        self.ratioGraceBytes = ratioGraceBytes
    }

    /// 8 GiB, 1000:1 beyond 16 MiB.
    public static let `default` = DecompressionLimits()

    /// No limit at all, for inputs the caller produced itself.
    public static let unlimited = DecompressionLimits(maxOutputBytes: .max, maxRatio: .max, ratioGraceBytes: .max)

    /// The most bytes `compressedBytes` of input may decompress to.
    public func maxOutput(forCompressed compressedBytes: Int) -> Int {
        let (byRatio, overflow) = maxRatio.multipliedReportingOverflow(by: max(compressedBytes, 0))
        return min(maxOutputBytes, max(ratioGraceBytes, overflow ? .max : byRatio))
    }

    /// The error for output that reached at least `found` bytes from `compressedBytes` of input.
    func exceeded(path: String, found: Int, compressedBytes: Int) -> DataPrepError {
        let limit = maxOutput(forCompressed: compressedBytes)
        if limit == maxOutputBytes {
            return .limitExceeded(path: path, what: "decompressed size (bytes)", limit: limit, found: found)
        }
        return .limitExceeded(
            path: path,
            what: "decompressed size of \(compressedBytes) compressed bytes (expansion ratio limit \(maxRatio):1, a likely decompression bomb)",
            limit: limit, found: found)
    }
}
