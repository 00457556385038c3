// OpenCV's INTER_NEAREST (`resizeNN`): output (x, y) copies source
// (min(floor(x * ifx), W - 1), min(floor(y * ify), H - 1)) with ifx = 1 / (OW / W) in double.
// The double rounding of `ifx` is kept on purpose: for 14 -> 18, ifx = 0.7777777777777777, so
// x = 9 reads source 6 (floor 6.9999…), not 7 = 9 * 14 / 18; exact arithmetic would disagree
// with OpenCV.

/// Source index for each output index along one axis, times `stride`.
func nearestIndices(count: Int, sourceCount: Int, scale: Double, stride: Int) -> [Int32] {
    (0..<count).map { d in
        Int32(min(Int((Double(d) * scale).rounded(.down)), sourceCount - 1) * stride)
    }
}

// in (H, W, C) u8 -> out (OH, OW, C) u8
func resizeNearest(_ src: PixelRegion, into dst: MutablePixelRegion, scales: ResizeScales) {
    let cn = src.channels
    let xs = nearestIndices(count: dst.width, sourceCount: src.width, scale: scales.x, stride: cn)
    let ys = nearestIndices(count: dst.height, sourceCount: src.height, scale: scales.y, stride: 1)
    xs.withUnsafeBufferPointer { xs in
        for dy in 0..<dst.height {
            let s = src.row(Int(ys[dy])), d = dst.row(dy)
            switch cn {
            case 1:
                for i in 0..<xs.count { d[i] = s[Int(xs[i])] }
            case 3:
                for i in 0..<xs.count {
                    let p = s + Int(xs[i]), o = d + i &* 3
                    o[0] = p[0]; o[1] = p[1]; o[2] = p[2]
                }
            default:  // 4
                for i in 0..<xs.count {
                    let p = s + Int(xs[i]), o = d + i &* 4
                    o[0] = p[0]; o[1] = p[1]; o[2] = p[2]; o[3] = p[3]
                }
            }
        }
    }
}
