/// Resampling an image through one affine sampling map: the single warp every chain of
/// geometric operations is reduced to.
///
/// `map` sends an *output* pixel centre `(x, y)` (integers, y down) to the *input* position it
/// reads, like SciPy's `affine_transform` and OpenCV's `WARP_INVERSE_MAP`. Three kernels:
/// * axis-aligned maps with integer offsets (flips, integer shifts, the identity): an exact
///   row copy, no interpolation;
/// * `nearest`: the closest input pixel;
/// * `bilinear`: source positions in 16.16 fixed point advanced by a per-row increment,
///   weights rounded to 1/256 pixel, four taps mixed in 32-bit integers (the sum of the
///   weights is exactly 65536, so flat areas stay exact). Within ±1 of the `Double` reference
///   `Warp.reference`, and exact wherever the map lands on pixel centres (90°/180° rotations,
///   integer shifts).
///
/// Measured (release, one thread, this machine while other builds ran): 150x150 RGB rotation
/// went from ~3,000 to ~5,000 images/s when the channel count became a compile-time constant
/// (`PixelLayout`); see `Benchmarks/augment-bench` for the current figures.
///
/// The interior span of each row goes to an AVX2 kernel in C (`CWarp`, chosen once by CPUID)
/// that computes the same integers eight pixels at a time, so the bytes are identical on every
/// machine; without AVX2 the Swift loop below runs, and tests pin it (`SpanKernel.portable`).
/// Measured with `augment-bench` (images per CPU-second, 1 core, AMD EPYC Zen 4, medians of
/// 3-14 runs on a shared machine; albumentations re-measured on the same machine), Swift loop
/// -> AVX2 (without AVX2 the figures stay at the left-hand ones, within noise):
///
/// | size        | rotate ±40         | shear 0.2          | Keras chain                          |
/// |-------------|--------------------|--------------------|--------------------------------------|
/// | 150x150 RGB | 4,252 -> 9,472     | 5,145 -> 10,812    | 5,518 -> 9,230 (2.0x -> 3.3x albu)   |
/// | 80x80 gray  | 33,578 -> 89,340   | 34,120 -> 85,664   | 43,093 -> 79,896 (7.6x -> 14.1x)     |
/// | 32x32 RGB   | 109,808 -> 211,443 | 116,835 -> 233,556 | 124,109 -> 197,081 (17.0x -> 27.0x)  |
public enum Warp {
    // in (H,W,C) u8, map (2x3, output -> input) -> out (H,W,C) u8
    public static func apply(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, shape: ImageShape,
                             map: AffineMatrix, interpolation: Interpolation, fill: FillMode, cval: UInt8) {
        apply(src, into: dst, shape: shape, map: map, interpolation: interpolation, fill: fill, cval: cval, kernel: .fastest)
    }

    /// `apply` with the interior-span loop chosen by the caller (tests pin `.portable`).
    static func apply(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, shape: ImageShape,
                      map: AffineMatrix, interpolation: Interpolation, fill: FillMode, cval: UInt8, kernel: SpanKernel) {
        if let (flipX, flipY, dx, dy) = axisAligned(map) {
            AxisAlignedCopy.apply(src, into: dst, shape: shape, flipX: flipX, flipY: flipY, dx: dx, dy: dy, fill: fill, cval: cval)
            return
        }
        // One specialisation per channel count: with `channels` a compile-time constant the
        // per-channel loops unroll (measured 2-3x on RGB against a runtime channel count).
        switch (interpolation, shape.channels) {
        case (.bilinear, 1): bilinear(src, dst, shape, map, fill, cval, kernel, Gray.self)
        case (.bilinear, 3): bilinear(src, dst, shape, map, fill, cval, kernel, RGB.self)
        case (.bilinear, _): bilinear(src, dst, shape, map, fill, cval, kernel, RGBA.self)
        case (.nearest, 1): nearest(src, dst, shape, map, fill, cval, Gray.self)
        case (.nearest, 3): nearest(src, dst, shape, map, fill, cval, RGB.self)
        case (.nearest, _): nearest(src, dst, shape, map, fill, cval, RGBA.self)
        }
    }

    /// `(flipX, flipY, dx, dy)` when `map` is `x -> ±x + dx, y -> ±y + dy` with integer offsets.
    static func axisAligned(_ m: AffineMatrix) -> (Bool, Bool, Int, Int)? {
        guard m.b == 0, m.c == 0, abs(m.a) == 1, abs(m.d) == 1 else { return nil }
        let dx = m.tx.rounded(), dy = m.ty.rounded()
        guard abs(m.tx - dx) < 1e-9, abs(m.ty - dy) < 1e-9, abs(dx) < 1e9, abs(dy) < 1e9 else { return nil }
        return (m.a < 0, m.d < 0, Int(dx), Int(dy))
    }

    /// 16.16 fixed point of `value`, saturated far outside any image so wild maps cannot overflow.
    @inline(__always)
    static func fixed(_ value: Double) -> Int {
        Int((max(-1e9, min(1e9, value)) * 65536).rounded())
    }

    static func bilinear<L: PixelLayout>(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<UInt8>, _ shape: ImageShape,
                                         _ m: AffineMatrix, _ fill: FillMode, _ cval: UInt8, _ kernel: SpanKernel, _: L.Type) {
        let channels = L.channels
        let w = shape.width, h = shape.height
        let stride = w &* channels
        let stepX = fixed(m.a), stepY = fixed(m.c)
        let simd = kernel == .fastest && simdLevel > 0 && simdFits(shape) ? simdLevel : 0
        for y in 0..<h {
            let sx0 = fixed(m.b * Double(y) + m.tx), sy0 = fixed(m.d * Double(y) + m.ty)
            let row = dst + y &* stride
            // Row-span clipping: the columns whose four taps are all inside form one interval
            // (both tests are linear in x), found exactly; only the columns outside it go through
            // `borderBilinear`, and the interior loop has no test. Measured (150x150 RGB, ±40°
            // rotations, one thread): 160 -> 148 us per image. With a constant fill the columns
            // with at least one tap inside (-1 <= ix, iy <= size - 1) form another interval
            // around it; the rest of the row is `cval`, filled without looking at taps (measured:
            // within noise of the per-pixel test it replaced, kept because it is exact and simple).
            let inside = interior(sx0, stepX, size: w, columns: w).clamped(to: interior(sy0, stepY, size: h, columns: w))
            var t0 = 0, t1 = w
            if fill == .constant {
                // -65536 <= s + 128 < size << 16, i.e. `interior` shifted by one pixel, two wider.
                let touch = interior(sx0 &+ 65536, stepX, size: w &+ 2, columns: w)
                    .clamped(to: interior(sy0 &+ 65536, stepY, size: h &+ 2, columns: w))
                t0 = touch.isEmpty ? w : touch.lowerBound; t1 = touch.isEmpty ? w : touch.upperBound
                row.update(repeating: cval, count: t0 &* channels)
                (row + t1 &* channels).update(repeating: cval, count: (w &- t1) &* channels)
            }
            let x0 = inside.isEmpty ? t1 : inside.lowerBound, x1 = inside.isEmpty ? t1 : inside.upperBound
            for x in t0..<x0 {
                border(src, row + x &* channels, w, h, channels, sx0 &+ x &* stepX, sy0 &+ x &* stepY, fill, cval)
            }
            var sx = sx0 &+ x0 &* stepX, sy = sy0 &+ x0 &* stepY
            var out = row + x0 &* channels
            // The C kernel (AVX2) does the whole span, or nothing when it is shorter
            // than one vector; the loop below is its portable twin and finishes what is left.
            let done = simd > 0 ? simdSpan(simd, src, stride: stride, channels: channels, out, count: x1 &- x0,
                                           sx: sx, sy: sy, stepX: stepX, stepY: stepY) : 0
            sx &+= done &* stepX; sy &+= done &* stepY
            out += done &* channels
            for _ in (x0 &+ done)..<x1 {
                // Round the position to 1/256 pixel, then split into integer part and weight.
                let px = (sx &+ 128) &>> 8, py = (sy &+ 128) &>> 8
                let ix = px &>> 8, iy = py &>> 8
                let fx = UInt32(truncatingIfNeeded: px & 255), fy = UInt32(truncatingIfNeeded: py & 255)
                let w11 = fx &* fy, w01 = (fx &<< 8) &- w11, w10 = (fy &<< 8) &- w11
                let w00 = 65536 &- w01 &- w10 &- w11
                let p = src + (iy &* stride &+ ix &* channels)
                let q = p + stride
                for c in 0..<channels {
                    let v = UInt32(p[c]) &* w00 &+ UInt32(p[c &+ channels]) &* w01
                        &+ UInt32(q[c]) &* w10 &+ UInt32(q[c &+ channels]) &* w11 &+ 32768
                    out[c] = UInt8(truncatingIfNeeded: v &>> 16)
                }
                out += channels
                sx &+= stepX; sy &+= stepY
            }
            for x in x1..<t1 {
                border(src, row + x &* channels, w, h, channels, sx0 &+ x &* stepX, sy0 &+ x &* stepY, fill, cval)
            }
        }
    }

    /// The columns x in `0..<columns` whose 16.16 source coordinate `a + x * step` has both
    /// bilinear taps inside `0..<size`: `0 <= ((a + x step + 128) >> 16) < size - 1`, i.e.
    /// `0 <= a + 128 + x step < (size - 1) << 16`, solved exactly in integers.
    @inline(__always)
    static func interior(_ a: Int, _ step: Int, size: Int, columns: Int) -> Range<Int> {
        let low = -(a &+ 128), high = ((size &- 1) &<< 16) &- (a &+ 128)   // low <= x step < high
        var x0: Int, x1: Int
        if step > 0 {
            x0 = ceilDiv(low, step); x1 = ceilDiv(high, step)
        } else if step < 0 {
            x0 = floorDiv(-high, -step) &+ 1; x1 = floorDiv(-low, -step) &+ 1
        } else if low <= 0 && 0 < high {
            x0 = 0; x1 = columns
        } else {
            x0 = 0; x1 = 0
        }
        x0 = max(0, x0); x1 = min(columns, x1)
        return x0 < x1 ? x0..<x1 : 0..<0
    }

    @inline(__always) static func floorDiv(_ n: Int, _ d: Int) -> Int { n >= 0 ? n / d : -((d &- 1 &- n) / d) }
    @inline(__always) static func ceilDiv(_ n: Int, _ d: Int) -> Int { -floorDiv(-n, d) }

    /// The bilinear pixel at 16.16 source position `(sx, sy)` outside the interior span.
    @inline(__always)
    static func border(_ src: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ w: Int, _ h: Int, _ channels: Int,
                       _ sx: Int, _ sy: Int, _ fill: FillMode, _ cval: UInt8) {
        let px = (sx &+ 128) &>> 8, py = (sy &+ 128) &>> 8
        borderBilinear(src, out, w: w, h: h, channels: channels, ix: px &>> 8, iy: py &>> 8,
                       fx: UInt32(truncatingIfNeeded: px & 255), fy: UInt32(truncatingIfNeeded: py & 255), fill: fill, cval: cval)
    }

    /// One output pixel whose four taps are not all inside: each tap goes through `fill`.
    static func borderBilinear(_ src: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, w: Int, h: Int, channels: Int,
                               ix: Int, iy: Int, fx: UInt32, fy: UInt32, fill: FillMode, cval: UInt8) {
        // Wholly outside with a constant fill (a third of the pixels of a 40° rotation): no taps.
        if fill == .constant && (UInt(bitPattern: ix &+ 1) > UInt(w) || UInt(bitPattern: iy &+ 1) > UInt(h)) {
            for c in 0..<channels { out[c] = cval }
            return
        }
        let x0 = fill.sourceIndex(ix, size: w), x1 = fill.sourceIndex(ix &+ 1, size: w)
        let y0 = fill.sourceIndex(iy, size: h), y1 = fill.sourceIndex(iy &+ 1, size: h)
        let w11 = fx &* fy, w01 = (fx &<< 8) &- w11, w10 = (fy &<< 8) &- w11
        let w00 = 65536 &- w01 &- w10 &- w11
        let stride = w &* channels
        let k = UInt32(cval)
        for c in 0..<channels {
            @inline(__always) func tap(_ x: Int, _ y: Int) -> UInt32 {
                x < 0 || y < 0 ? k : UInt32(src[y &* stride &+ x &* channels &+ c])
            }
            let v = tap(x0, y0) &* w00 &+ tap(x1, y0) &* w01 &+ tap(x0, y1) &* w10 &+ tap(x1, y1) &* w11 &+ 32768
            out[c] = UInt8(truncatingIfNeeded: v &>> 16)
        }
    }

    static func nearest<L: PixelLayout>(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<UInt8>, _ shape: ImageShape,
                                        _ m: AffineMatrix, _ fill: FillMode, _ cval: UInt8, _: L.Type) {
        let channels = L.channels
        let w = shape.width, h = shape.height
        let stride = w &* channels
        let stepX = fixed(m.a), stepY = fixed(m.c)
        var out = dst
        for y in 0..<h {
            var sx = fixed(m.b * Double(y) + m.tx), sy = fixed(m.d * Double(y) + m.ty)
            for _ in 0..<w {
                var ix = (sx &+ 32768) &>> 16, iy = (sy &+ 32768) &>> 16
                if !(UInt(bitPattern: ix) < UInt(w) && UInt(bitPattern: iy) < UInt(h)) {
                    ix = fill.sourceIndex(ix, size: w); iy = fill.sourceIndex(iy, size: h)
                }
                if ix < 0 || iy < 0 {
                    for c in 0..<channels { out[c] = cval }
                } else {
                    let p = src + (iy &* stride &+ ix &* channels)
                    for c in 0..<channels { out[c] = p[c] }
                }
                out += channels
                sx &+= stepX; sy &+= stepY
            }
        }
    }
}

/// A channel count known at compile time, so warp kernels specialise per layout.
protocol PixelLayout { static var channels: Int { get } }
enum Gray: PixelLayout { static var channels: Int { 1 } }
enum RGB: PixelLayout { static var channels: Int { 3 } }
enum RGBA: PixelLayout { static var channels: Int { 4 } }
