// OpenCV's INTER_LINEAR for 8-bit images (imgproc/src/resize.cpp: `resizeGeneric_` with
// `HResizeLinear<uchar, int, short, 2048>` and `VResizeLinear<..., FixedPtCast<int, uchar, 22>>`),
// reproduced operation for operation so the output bytes are identical:
//   weights   a = round_half_even(w * 2048) for w in {1 - f, f}, f the Float fraction
//   horizontal t = S[x0] * a0 + S[x1] * a1                       (Int32, ≤ 255 * 2048)
//   vertical   out = (((b0 * (t0 >> 4)) >> 16) + ((b1 * (t1 >> 4)) >> 16) + 2) >> 2
// The horizontal edge is clamped by zeroing the weight of the missing neighbour; the vertical
// edge only clamps the row index and keeps both weights — OpenCV does exactly this, and it
// changes results by one level near the bottom edge, so it is kept.

/// One output position's two source taps; indices are element offsets on the x axis (pixel
/// index times channels) and row numbers on the y axis.
struct LinearTap {
    var index0: Int32, index1: Int32
    var weight0: Int32, weight1: Int32
}

/// OpenCV's fractional sample position for output index `d` along one axis: the integer source
/// index (unclamped) and the Float fraction. `areaMode` is the position rule `INTER_AREA` uses
/// when it enlarges: `s = floor(d * scale)`, `f = (d + 1) - (s + 1) / scale`, wrapped to [0, 1).
@inline(__always)
func linearSamplePosition(_ d: Int, scale: Double, inverse: Double, areaMode: Bool) -> (Int, Float) {
    if areaMode {
        let s = Int((Double(d) * scale).rounded(.down))
        var f = Float(Double(d + 1) - Double(s + 1) * inverse)
        f = f <= 0 ? 0 : f - f.rounded(.down)
        return (s, f)
    }
    var f = Float((Double(d) + 0.5) * scale - 0.5)
    let s = Int(f.rounded(.down))
    f -= Float(s)
    return (s, f)
}

/// `saturate_cast<short>(w * INTER_RESIZE_COEF_SCALE)`: round half to even, as `lrintf` does.
@inline(__always)
func fixedPointWeight(_ w: Float) -> Int32 {
    Int32((w * 2048).rounded(.toNearestOrEven))
}

/// Taps for the x axis: out-of-range samples snap to the edge pixel with weights (2048, 0).
func linearTapsX(count: Int, sourceCount: Int, channels: Int, scale: Double, inverse: Double,
                 areaMode: Bool) -> [LinearTap] {
    (0..<count).map { d in
        var (s, f) = linearSamplePosition(d, scale: scale, inverse: inverse, areaMode: areaMode)
        if s < 0 { s = 0; f = 0 }
        if s >= sourceCount - 1 { s = sourceCount - 1; f = 0 }
        let next = min(s + 1, sourceCount - 1)
        return LinearTap(index0: Int32(s * channels), index1: Int32(next * channels),
                         weight0: fixedPointWeight(1 - f), weight1: fixedPointWeight(f))
    }
}

/// Taps for the y axis: rows are clamped, weights are left as computed (see the file header).
func linearTapsY(count: Int, sourceCount: Int, scale: Double, inverse: Double, areaMode: Bool) -> [LinearTap] {
    (0..<count).map { d in
        let (s, f) = linearSamplePosition(d, scale: scale, inverse: inverse, areaMode: areaMode)
        let r0 = min(max(s, 0), sourceCount - 1), r1 = min(max(s + 1, 0), sourceCount - 1)
        return LinearTap(index0: Int32(r0), index1: Int32(r1),
                         weight0: fixedPointWeight(1 - f), weight1: fixedPointWeight(f))
    }
}

// in (H, W, C) u8 -> out (OH, OW, C) u8, separable: each needed source row is filtered
// horizontally once into a UInt16 row of `t >> 4` (the only form the vertical pass reads, and it
// fits: 522240 >> 4 = 32640), then pairs of rows are blended vertically.
func resizeLinear(_ src: PixelRegion, into dst: MutablePixelRegion, scales: ResizeScales, areaMode: Bool) {
    let cn = src.channels
    let xTaps = linearTapsX(count: dst.width, sourceCount: src.width, channels: cn,
                            scale: scales.x, inverse: scales.inverseX, areaMode: areaMode)
    let yTaps = linearTapsY(count: dst.height, sourceCount: src.height,
                            scale: scales.y, inverse: scales.inverseY, areaMode: areaMode)
    let rowLength = dst.width * cn
    let rows = UnsafeMutablePointer<UInt16>.allocate(capacity: 2 * rowLength)
    defer { rows.deallocate() }
    let slots = [rows, rows + rowLength]

    xTaps.withUnsafeBufferPointer { xt in
        yTaps.withUnsafeBufferPointer { yt in
            var held = [-1, -1]  // the source row filtered into each slot
            func filter(_ row: Int, into slot: Int) {
                if held[slot] != row {
                    horizontalLinear(src.row(row), into: slots[slot], taps: xt, channels: cn)
                    held[slot] = row
                }
            }
            for dy in 0..<dst.height {
                let tap = yt[dy]
                let r0 = Int(tap.index0), r1 = Int(tap.index1)
                // Reuse rows already filtered (enlarging reads the same pair for several output
                // rows); a new r0 goes into the slot that does not hold r1.
                let slot0 = held.firstIndex(of: r0) ?? (held[0] == r1 ? 1 : 0)
                let slot1 = r1 == r0 ? slot0 : 1 - slot0
                filter(r0, into: slot0)
                filter(r1, into: slot1)
                verticalLinear(slots[slot0], slots[slot1], weights: (tap.weight0, tap.weight1),
                               into: dst.row(dy), count: rowLength)
            }
        }
    }
}

/// One source row -> `(S[x0] * a0 + S[x1] * a1) >> 4` per output element. Specialised per
/// channel count so each tap is read once per pixel and the channel loop is unrolled.
@inline(__always)
private func horizontalLinear(_ s: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt16>,
                              taps: UnsafeBufferPointer<LinearTap>, channels: Int) {
    switch channels {
    case 1:
        for i in 0..<taps.count {
            let t = taps[i]
            let v = Int32(s[Int(t.index0)]) &* t.weight0 &+ Int32(s[Int(t.index1)]) &* t.weight1
            out[i] = UInt16(truncatingIfNeeded: v &>> 4)
        }
    case 3:
        for i in 0..<taps.count {
            let t = taps[i]
            let p = s + Int(t.index0), q = s + Int(t.index1), o = out + i &* 3
            o[0] = UInt16(truncatingIfNeeded: (Int32(p[0]) &* t.weight0 &+ Int32(q[0]) &* t.weight1) &>> 4)
            o[1] = UInt16(truncatingIfNeeded: (Int32(p[1]) &* t.weight0 &+ Int32(q[1]) &* t.weight1) &>> 4)
            o[2] = UInt16(truncatingIfNeeded: (Int32(p[2]) &* t.weight0 &+ Int32(q[2]) &* t.weight1) &>> 4)
        }
    default:  // 4, the only other channel count `resizePixels` admits
        for i in 0..<taps.count {
            let t = taps[i]
            let p = s + Int(t.index0), q = s + Int(t.index1), o = out + i &* 4
            for c in 0..<4 {
                o[c] = UInt16(truncatingIfNeeded: (Int32(p[c]) &* t.weight0 &+ Int32(q[c]) &* t.weight1) &>> 4)
            }
        }
    }
}

/// Blends two filtered rows with OpenCV's `VResizeLinear<uchar>` rounding. Weights are ≤ 2048
/// and rows ≤ 32640, all non-negative, so the products are written as UInt16 x UInt16 -> high
/// half, which LLVM lowers to `pmulhuw` (measured: 39 ns per 240-byte row, against 170 ns for
/// the same arithmetic in Int32, which became `pmuludq` shuffles).
@inline(__always)
private func verticalLinear(_ r0: UnsafePointer<UInt16>, _ r1: UnsafePointer<UInt16>,
                            weights: (Int32, Int32), into d: UnsafeMutablePointer<UInt8>, count: Int) {
    let b0 = UInt16(truncatingIfNeeded: weights.0), b1 = UInt16(truncatingIfNeeded: weights.1)
    for x in 0..<count {
        let h0 = UInt16(truncatingIfNeeded: (UInt32(b0) &* UInt32(r0[x])) &>> 16)
        let h1 = UInt16(truncatingIfNeeded: (UInt32(b1) &* UInt32(r1[x])) &>> 16)
        d[x] = UInt8(truncatingIfNeeded: (h0 &+ h1 &+ 2) &>> 2)
    }
}
