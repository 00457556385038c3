import DataPrep

/// The float every (channel, byte) pair becomes under a `Normalization`, computed once by
/// `Normalization.apply` itself so the loader's output is bit-identical to `ArrayBatchSource`'s,
/// while converting a sample is a lookup with no allocation (`standardized` builds its table
/// on every call).
struct NormalizationTable {
    let channels: Int
    /// `channels * 256` floats: entry `c * 256 + v`.
    let values: [Float]

    init(_ normalization: Normalization, channels: Int) {
        self.channels = channels
        // 256 pixels, pixel v having every channel equal to v.
        let bytes = (0..<(256 * channels)).map { UInt8($0 / channels) }
        var floats = [Float](repeating: 0, count: bytes.count)
        bytes.withUnsafeBufferPointer { src in
            floats.withUnsafeMutableBufferPointer { normalization.apply(src, channels: channels, into: $0) }
        }
        var table = [Float](repeating: 0, count: bytes.count)
        for v in 0..<256 { for c in 0..<channels { table[c * 256 + v] = floats[v * channels + c] } }
        values = table
    }

    // in (H,W,C) u8 -> out (H,W,C) f32
    func convert(_ src: UnsafePointer<UInt8>, count: Int, into dst: UnsafeMutablePointer<Float>) {
        values.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            switch channels {
            case 1:
                for i in 0..<count { dst[i] = t[Int(src[i])] }
            case 3:
                var i = 0
                while i < count {
                    dst[i] = t[Int(src[i])]; dst[i &+ 1] = t[256 &+ Int(src[i &+ 1])]; dst[i &+ 2] = t[512 &+ Int(src[i &+ 2])]
                    i &+= 3
                }
            default:
                for i in 0..<count { dst[i] = t[(i % channels) &* 256 &+ Int(src[i])] }
            }
        }
    }
}
