extension Image {
    /// This image turned upright according to an EXIF orientation (tag 0x0112).
    ///
    /// The tag says where the stored row 0 and column 0 belong on screen. For an output pixel
    /// (x', y') of the upright image, the stored pixel (x, y) it comes from, with W x H the stored
    /// size, is:
    ///
    /// | tag | meaning                        | x          | y          | output size |
    /// |-----|--------------------------------|------------|------------|-------------|
    /// | 1   | upright                        | x'         | y'         | W x H       |
    /// | 2   | mirrored left-right            | W-1-x'     | y'         | W x H       |
    /// | 3   | rotated 180                    | W-1-x'     | H-1-y'     | W x H       |
    /// | 4   | mirrored top-bottom            | x'         | H-1-y'     | W x H       |
    /// | 5   | transposed (main diagonal)     | y'         | x'         | H x W       |
    /// | 6   | needs 90 clockwise to display  | y'         | H-1-x'     | H x W       |
    /// | 7   | transversed (anti-diagonal)    | W-1-y'     | H-1-x'     | H x W       |
    /// | 8   | needs 90 counter-clockwise     | W-1-y'     | x'         | H x W       |
    ///
    /// Reference: EXIF 2.32 (CIPA DC-008), tag 0x0112; the same table as Pillow's
    /// `ImageOps.exif_transpose`.
    /// - Parameter orientation: 1...8; 1 returns the image unchanged (no copy).
    /// - Complexity: O(pixels); one pass, reading the source in a strided order.
    public func applyingEXIFOrientation(_ orientation: Int) -> Image {
        precondition((1...8).contains(orientation), "EXIF orientation must be 1...8, got \(orientation)")
        if orientation == 1 { return self }
        // Source coordinates are affine in (x', y'): x = ax*x' + bx*y' + cx, y = ay*x' + by*y' + cy.
        let w = width, h = height
        let (ax, bx, cx, ay, by, cy): (Int, Int, Int, Int, Int, Int)
        switch orientation {
        case 2: (ax, bx, cx, ay, by, cy) = (-1, 0, w - 1, 0, 1, 0)
        case 3: (ax, bx, cx, ay, by, cy) = (-1, 0, w - 1, 0, -1, h - 1)
        case 4: (ax, bx, cx, ay, by, cy) = (1, 0, 0, 0, -1, h - 1)
        case 5: (ax, bx, cx, ay, by, cy) = (0, 1, 0, 1, 0, 0)
        case 6: (ax, bx, cx, ay, by, cy) = (0, 1, 0, -1, 0, h - 1)
        case 7: (ax, bx, cx, ay, by, cy) = (0, -1, w - 1, -1, 0, h - 1)
        default: (ax, bx, cx, ay, by, cy) = (0, -1, w - 1, 1, 0, 0)  // 8
        }
        let outWidth = orientation >= 5 ? h : w
        let outHeight = orientation >= 5 ? w : h
        let c = channels
        // Byte steps in the source for one step right (x') and one step down (y') in the output.
        let stepX = (ax + ay * w) * c
        let stepY = (bx + by * w) * c
        let start = (cy * w + cx) * c
        let count = pixels.count
        let out = [UInt8](unsafeUninitializedCapacity: count) { dst, initialized in
            pixels.withUnsafeBufferPointer { src in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                orientKernel(s, d, outWidth: outWidth, outHeight: outHeight, channels: c,
                             start: start, stepX: stepX, stepY: stepY)
            }
            initialized = count
        }
        return Image(width: outWidth, height: outHeight, channels: c, pixels: out)
    }
}

/// in (H, W, C) strided by (stepY, stepX) from `start` -> out (outHeight, outWidth, C), dense.
/// Source positions are kept as integer offsets (never as pointers stepped past the buffer's
/// ends); channel counts are specialised so the inner loop is a fixed-size copy.
private func orientKernel(_ s: UnsafePointer<UInt8>, _ d: UnsafeMutablePointer<UInt8>,
                          outWidth: Int, outHeight: Int, channels: Int,
                          start: Int, stepX: Int, stepY: Int) {
    var o = 0
    for y in 0..<outHeight {
        var p = start &+ y &* stepY
        switch channels {
        case 1:
            for _ in 0..<outWidth { d[o] = s[p]; o &+= 1; p &+= stepX }
        case 3:
            for _ in 0..<outWidth {
                d[o] = s[p]; d[o &+ 1] = s[p &+ 1]; d[o &+ 2] = s[p &+ 2]
                o &+= 3; p &+= stepX
            }
        default:
            for _ in 0..<outWidth {
                d[o] = s[p]; d[o &+ 1] = s[p &+ 1]; d[o &+ 2] = s[p &+ 2]; d[o &+ 3] = s[p &+ 3]
                o &+= 4; p &+= stepX
            }
        }
    }
}
