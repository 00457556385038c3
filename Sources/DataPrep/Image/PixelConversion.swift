/// Bytes to the floats a model eats, bit-identical to NumPy/PyTorch so stored tensors and
/// accuracy numbers match the Python pipelines users compare against.
///
/// * `unitFloat`: `x / 255` as NumPy's `a.astype(np.float32) / 255` computes it: one correctly
///   rounded float32 division. (`x * (1 / 255)` differs in the last bit for some bytes.)
/// * `standardized`: `(x / 255 - mean[c]) / std[c]` in float32, each step rounded, as
///   `(a.astype(np.float32) / 255 - mean) / std` with float32 `mean`/`std` arrays, or
///   torchvision's `ToTensor()` + `Normalize(mean, std)`.
///
/// Measured on this machine (release, one core, 47,040,000 bytes = MNIST train, warm output):
/// division 10.8 ms, 256-entry lookup table 17.2 ms, multiply by 1/255 10.1 ms (not exact), so
/// `unitFloat` divides (vectorised `divps`). For `standardized` (3 channels) a per-channel table
/// took 19.0 ms, the same formula computed directly 22.8–27.7 ms, periodic SIMD4 20.2 ms: it
/// uses the table. Both are memory-bound (188 MB written).
public enum PixelConversion {
    /// `dst[i] = Float(src[i]) / 255`. `dst.count` must equal `src.count`.
    public static func unitFloat(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<Float>) {
        precondition(dst.count == src.count, "unitFloat needs \(src.count) output floats, got \(dst.count)")
        guard let s = src.baseAddress, let d = dst.baseAddress else { return }
        for i in 0..<src.count { d[i] = Float(s[i]) / 255 }
    }

    /// `dst[i] = (Float(src[i]) / 255 - mean[c]) / std[c]` with `c = i % channels` (HWC data).
    ///
    /// - Parameters:
    ///   - mean: one value per channel, e.g. ImageNet's `[0.485, 0.456, 0.406]`.
    ///   - std: one non-zero value per channel, e.g. `[0.229, 0.224, 0.225]`.
    ///   - channels: 1...4; `src.count` must be a multiple of it.
    public static func standardized(_ src: UnsafeBufferPointer<UInt8>, mean: [Float], std: [Float],
                                    channels: Int, into dst: UnsafeMutableBufferPointer<Float>) {
        precondition((1...4).contains(channels), "standardized supports 1 to 4 channels, got \(channels)")
        precondition(mean.count == channels && std.count == channels,
                     "standardized needs \(channels) mean and std values, got \(mean.count) and \(std.count)")
        precondition(!std.contains(0), "standardized std must be non-zero, got \(std)")
        precondition(src.count % channels == 0, "standardized input of \(src.count) bytes is not whole \(channels)-channel pixels")
        precondition(dst.count == src.count, "standardized needs \(src.count) output floats, got \(dst.count)")
        // Table row c holds the exact float32 result for every byte in channel c.
        let table: [Float] = (0..<(256 * channels)).map { i in
            let c = i / 256
            return (Float(i % 256) / 255 - mean[c]) / std[c]
        }
        guard let s = src.baseAddress, let d = dst.baseAddress else { return }
        let pixels = src.count / channels
        table.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            switch channels {
            case 1:
                for i in 0..<pixels { d[i] = t[Int(s[i])] }
            case 3:
                let t1 = t + 256, t2 = t + 512
                for i in 0..<pixels {
                    let p = s + i &* 3, o = d + i &* 3
                    o[0] = t[Int(p[0])]; o[1] = t1[Int(p[1])]; o[2] = t2[Int(p[2])]
                }
            default:
                for i in 0..<pixels {
                    let p = s + i &* channels, o = d + i &* channels
                    for c in 0..<channels { o[c] = t[c &* 256 &+ Int(p[c])] }
                }
            }
        }
    }

    /// `[UInt8] -> [Float]` with `unitFloat`; the result is written once, never zero-filled.
    /// A fresh 188 MB result costs ~84 ms, mostly first-touch page faults: loaders converting
    /// every epoch should reuse a buffer and call `unitFloat(_:into:)`.
    /// `threads > 1` splits the work as `unitFloat(_:into:threads:)` does.
    public static func unitFloat(_ src: [UInt8], threads: Int = 1) -> [Float] {
        HugePages.array(count: src.count) { dst in
            src.withUnsafeBufferPointer { unitFloat($0, into: dst, threads: threads) }
        }
    }

    /// `[UInt8] -> [Float]` with `standardized`.
    public static func standardized(_ src: [UInt8], mean: [Float], std: [Float], channels: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: src.count) { dst, initialized in
            src.withUnsafeBufferPointer { standardized($0, mean: mean, std: std, channels: channels, into: dst) }
            initialized = src.count
        }
    }

    /// `unitFloat` split over `threads` workers in contiguous chunks (same bytes as one thread).
    ///
    /// Worth it only for large buffers: the work is memory-bound, so two cores sharing one
    /// memory controller gain far less than 2x (measured, 47 MB: 10.7 ms on one thread, 8.3 ms
    /// on two, wall clock).
    public static func unitFloat(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<Float>,
                                 threads: Int) {
        precondition(dst.count == src.count, "unitFloat needs \(src.count) output floats, got \(dst.count)")
        precondition(threads >= 1, "unitFloat threads must be at least 1, got \(threads)")
        let minimumChunk = 1 << 20  // below ~1 MB the thread hand-off costs more than it saves
        let chunks = max(1, min(threads, src.count / minimumChunk))
        if chunks == 1 { return unitFloat(src, into: dst) }
        let buffers = SendableBuffers(src: src, dst: dst)
        let chunkSize = (src.count + chunks - 1) / chunks
        // The body cannot throw, so `try?` discards nothing.
        _ = try? Parallel.map(count: chunks, threads: chunks) { k in
            let lo = k * chunkSize, hi = min(lo + chunkSize, buffers.src.count)
            unitFloat(UnsafeBufferPointer(rebasing: buffers.src[lo..<hi]),
                      into: UnsafeMutableBufferPointer(rebasing: buffers.dst[lo..<hi]))
        }
    }
}

/// Raw buffers handed to worker threads; each worker touches a disjoint range.
private struct SendableBuffers: @unchecked Sendable {
    let src: UnsafeBufferPointer<UInt8>
    let dst: UnsafeMutableBufferPointer<Float>
}
