/// How bytes become model inputs, stored with every split output and checkpoint so training and
/// inference use the same numbers. Pixels stay bytes on disk (`x.npy` is uint8); `dataset.json`
/// records the normalization and every reader applies it as it makes a batch (the
/// `npy-float32` export writes the floats for other tools).
///
/// * `unit`: `x / 255` (Keras's `rescale=1./255`).
/// * `standard`: `(x / 255 - mean[c]) / std[c]` with per-channel statistics fitted on the
///   training split only (fitting on all data leaks validation statistics into training).
public enum Normalization: Codable, Equatable, Sendable {
    case unit
    case standard(mean: [Float], std: [Float])

    /// Per-channel mean and population standard deviation of `x / 255` over all pixels of
    /// `pixels` (HWC-interleaved bytes), accumulated exactly in integers so the result does not
    /// depend on summation order or thread count. A channel with zero variance gets std 1.
    public static func fitStandard(pixels: [UInt8], channels: Int) -> Normalization {
        fitStandard(storage: PixelStorage(pixels), channels: channels)
    }

    /// `fitStandard(pixels:channels:)` over `storage` in place: a mapped split is streamed
    /// through the page cache, never copied into memory.
    public static func fitStandard(storage pixels: PixelStorage, channels: Int) -> Normalization {
        precondition(channels > 0 && pixels.count % channels == 0, "fitStandard: \(pixels.count) bytes are not whole \(channels)-channel pixels")
        var sums = [UInt64](repeating: 0, count: channels), squares = [UInt64](repeating: 0, count: channels)
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<p.count {
                let c = i % channels, v = UInt64(p[i])
                sums[c] &+= v; squares[c] &+= v &* v
            }
        }
        let n = Double(max(1, pixels.count / channels))
        var mean = [Float](), std = [Float]()
        for c in 0..<channels {
            let m = Double(sums[c]) / n
            let variance = max(0, Double(squares[c]) / n - m * m)
            mean.append(Float(m / 255))
            let s = variance.squareRoot() / 255
            std.append(s > 0 ? Float(s) : 1)
        }
        return .standard(mean: mean, std: std)
    }

    /// Converts bytes to floats (`src.count == dst.count`), bit-identical to NumPy's float32 math.
    public func apply(_ src: UnsafeBufferPointer<UInt8>, channels: Int, into dst: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .unit: PixelConversion.unitFloat(src, into: dst)
        case let .standard(mean, std): PixelConversion.standardized(src, mean: mean, std: std, channels: channels, into: dst)
        }
    }

    /// The byte that `apply` turned into `value` (exact for every byte: the float steps are
    /// monotone and far more than 0.5 apart in byte space), for reading float outputs back.
    public func byte(from value: Float, channel: Int) -> UInt8 {
        let unit: Double
        switch self {
        case .unit: unit = Double(value)
        case let .standard(mean, std): unit = Double(value) * Double(std[channel]) + Double(mean[channel])
        }
        return UInt8(max(0, min(255, (unit * 255).rounded())))
    }

    /// One line for `info` and the `split` summary: the formula, with the fitted statistics
    /// (rounded to 4 decimals; `dataset.json` holds them exactly).
    ///
    /// `unit: x/255` or `standard: (x/255 - mean)/std, mean [0.1307] std [0.3081]`.
    public var summary: String {
        switch self {
        case .unit: return "unit: x/255"
        case let .standard(mean, std):
            func rounded(_ values: [Float]) -> String { "[" + values.map { String((Double($0) * 10000).rounded() / 10000) }.joined(separator: ", ") + "]" }
            return "standard: (x/255 - mean)/std, mean \(rounded(mean)) std \(rounded(std))"
        }
    }

    /// Short name for manifests and help: `unit` or `standard`.
    public var name: String {
        switch self { case .unit: return "unit"; case .standard: return "standard" }
    }
}
