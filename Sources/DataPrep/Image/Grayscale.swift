extension Image {
    /// This image as 1-channel luma, byte-identical to Pillow's `Image.convert('L')`.
    ///
    /// ITU-R 601-2 weights in Pillow's 16-bit fixed point:
    /// `L = (R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16` (the weights sum to 65536, so
    /// white stays 255). RGBA ignores alpha, as Pillow does; a gray image is returned as is.
    /// - Complexity: O(pixels), one pass, no allocation besides the result.
    public func grayscale() -> Image {
        if channels == 1 { return self }
        let count = width * height
        let stride = channels
        let out = [UInt8](unsafeUninitializedCapacity: count) { dst, initialized in
            pixels.withUnsafeBufferPointer { src in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for i in 0..<count {
                    let p = s + i &* stride
                    let l = UInt32(p[0]) &* 19595 &+ UInt32(p[1]) &* 38470 &+ UInt32(p[2]) &* 7471 &+ 0x8000
                    d[i] = UInt8(truncatingIfNeeded: l &>> 16)
                }
            }
            initialized = count
        }
        return Image(width: width, height: height, channels: 1, pixels: out)
    }

    /// This image as 3-channel RGB: gray is replicated into R, G and B (Pillow's
    /// `convert('RGB')` from 'L'), RGBA drops alpha without blending, RGB is returned as is.
    public func rgb() -> Image {
        if channels == 3 { return self }
        let count = width * height
        let stride = channels
        let out = [UInt8](unsafeUninitializedCapacity: count * 3) { dst, initialized in
            pixels.withUnsafeBufferPointer { src in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                if stride == 1 {
                    for i in 0..<count {
                        let v = s[i], o = d + i &* 3
                        o[0] = v; o[1] = v; o[2] = v
                    }
                } else {
                    for i in 0..<count {
                        let p = s + i &* 4, o = d + i &* 3
                        o[0] = p[0]; o[1] = p[1]; o[2] = p[2]
                    }
                }
            }
            initialized = count * 3
        }
        return Image(width: width, height: height, channels: 3, pixels: out)
    }

    /// This image in `mode`'s channel layout (`grayscale()` or `rgb()`).
    public func converted(to mode: ColorMode) -> Image {
        mode == .gray ? grayscale() : rgb()
    }
}
