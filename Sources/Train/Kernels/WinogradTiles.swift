/// The per-tile passes of `Winograd`, over one sample's tiles (`ty * cols + tx`) at a time.
/// A block's rows for a sample start at the pointer the caller passes (`V`/`M` row = tile).
///
/// Pixels outside the image read from `zeros` (padding); outputs outside the output (odd
/// sizes: the last tile row or column is half used) and input-gradient pixels outside the image
/// go to `dump`, a scratch row per part, so the lane loops have no branches.
extension Winograd {
    /// The 16 pixels (C floats each) of the 4x4 input window starting at (`iy`, `ix`), pixels
    /// outside the image replaced by `outside`.
    struct Window {
        let p00: UnsafeMutablePointer<Float>
        let p01: UnsafeMutablePointer<Float>
        let p02: UnsafeMutablePointer<Float>
        let p03: UnsafeMutablePointer<Float>
        let p10: UnsafeMutablePointer<Float>
        let p11: UnsafeMutablePointer<Float>
        let p12: UnsafeMutablePointer<Float>
        let p13: UnsafeMutablePointer<Float>
        let p20: UnsafeMutablePointer<Float>
        let p21: UnsafeMutablePointer<Float>
        let p22: UnsafeMutablePointer<Float>
        let p23: UnsafeMutablePointer<Float>
        let p30: UnsafeMutablePointer<Float>
        let p31: UnsafeMutablePointer<Float>
        let p32: UnsafeMutablePointer<Float>
        let p33: UnsafeMutablePointer<Float>

        @inline(__always)
        init(_ g: ConvGeometry, _ base: UnsafeMutablePointer<Float>, _ iy: Int, _ ix: Int, outside: UnsafeMutablePointer<Float>) {
            @inline(__always) func at(_ dy: Int, _ dx: Int) -> UnsafeMutablePointer<Float> {
                let y = iy &+ dy, x = ix &+ dx
                return y >= 0 && y < g.height && x >= 0 && x < g.width ? base + (y &* g.width &+ x) &* g.channels : outside
            }
            p00 = at(0, 0)
            p01 = at(0, 1)
            p02 = at(0, 2)
            p03 = at(0, 3)
            p10 = at(1, 0)
            p11 = at(1, 1)
            p12 = at(1, 2)
            p13 = at(1, 3)
            p20 = at(2, 0)
            p21 = at(2, 1)
            p22 = at(2, 2)
            p23 = at(2, 3)
            p30 = at(3, 0)
            p31 = at(3, 1)
            p32 = at(3, 2)
            p33 = at(3, 3)
        }
    }


    @inline(__always)
    static func inputLanes<L: WinogradLane>(_: L.Type, _ c: Int, _ w: Window, _ v: UnsafeMutablePointer<Float>, _ s: Int) {
        let d00 = L.load(w.p00 + c)
        let d10 = L.load(w.p10 + c)
        let d20 = L.load(w.p20 + c)
        let d30 = L.load(w.p30 + c)
        let t00 = d00 - d20, t10 = d10 + d20, t20 = d20 - d10, t30 = d10 - d30
        let d01 = L.load(w.p01 + c)
        let d11 = L.load(w.p11 + c)
        let d21 = L.load(w.p21 + c)
        let d31 = L.load(w.p31 + c)
        let t01 = d01 - d21, t11 = d11 + d21, t21 = d21 - d11, t31 = d11 - d31
        let d02 = L.load(w.p02 + c)
        let d12 = L.load(w.p12 + c)
        let d22 = L.load(w.p22 + c)
        let d32 = L.load(w.p32 + c)
        let t02 = d02 - d22, t12 = d12 + d22, t22 = d22 - d12, t32 = d12 - d32
        let d03 = L.load(w.p03 + c)
        let d13 = L.load(w.p13 + c)
        let d23 = L.load(w.p23 + c)
        let d33 = L.load(w.p33 + c)
        let t03 = d03 - d23, t13 = d13 + d23, t23 = d23 - d13, t33 = d13 - d33
        (t00 - t02).store(v + 0 &* s + c)
        (t01 + t02).store(v + 1 &* s + c)
        (t02 - t01).store(v + 2 &* s + c)
        (t01 - t03).store(v + 3 &* s + c)
        (t10 - t12).store(v + 4 &* s + c)
        (t11 + t12).store(v + 5 &* s + c)
        (t12 - t11).store(v + 6 &* s + c)
        (t11 - t13).store(v + 7 &* s + c)
        (t20 - t22).store(v + 8 &* s + c)
        (t21 + t22).store(v + 9 &* s + c)
        (t22 - t21).store(v + 10 &* s + c)
        (t21 - t23).store(v + 11 &* s + c)
        (t30 - t32).store(v + 12 &* s + c)
        (t31 + t32).store(v + 13 &* s + c)
        (t32 - t31).store(v + 14 &* s + c)
        (t31 - t33).store(v + 15 &* s + c)
    }

    @inline(__always)
    static func outputLanes<L: WinogradLane>(_: L.Type, _ c: Int, _ m: UnsafePointer<Float>, _ s: Int, _ bias: UnsafePointer<Float>,
                                             _ q00: UnsafeMutablePointer<Float>, _ q01: UnsafeMutablePointer<Float>,
                                             _ q10: UnsafeMutablePointer<Float>, _ q11: UnsafeMutablePointer<Float>) {
        let m00 = L.load(m + 0 &* s + c)
        let m10 = L.load(m + 4 &* s + c)
        let m20 = L.load(m + 8 &* s + c)
        let m30 = L.load(m + 12 &* s + c)
        let s00 = m00 + m10 + m20, s10 = m10 - m20 - m30
        let m01 = L.load(m + 1 &* s + c)
        let m11 = L.load(m + 5 &* s + c)
        let m21 = L.load(m + 9 &* s + c)
        let m31 = L.load(m + 13 &* s + c)
        let s01 = m01 + m11 + m21, s11 = m11 - m21 - m31
        let m02 = L.load(m + 2 &* s + c)
        let m12 = L.load(m + 6 &* s + c)
        let m22 = L.load(m + 10 &* s + c)
        let m32 = L.load(m + 14 &* s + c)
        let s02 = m02 + m12 + m22, s12 = m12 - m22 - m32
        let m03 = L.load(m + 3 &* s + c)
        let m13 = L.load(m + 7 &* s + c)
        let m23 = L.load(m + 11 &* s + c)
        let m33 = L.load(m + 15 &* s + c)
        let s03 = m03 + m13 + m23, s13 = m13 - m23 - m33
        let b = L.load(bias + c)
        (s00 + s01 + s02 + b).store(q00 + c)
        (s01 - s02 - s03 + b).store(q01 + c)
        (s10 + s11 + s12 + b).store(q10 + c)
        (s11 - s12 - s13 + b).store(q11 + c)
    }

    @inline(__always)
    static func outputAdjointLanes<L: WinogradLane>(_: L.Type, _ c: Int, _ a00: UnsafePointer<Float>, _ a01: UnsafePointer<Float>,
                                                    _ a10: UnsafePointer<Float>, _ a11: UnsafePointer<Float>,
                                                    _ m: UnsafeMutablePointer<Float>, _ s: Int) {
        let y00 = L.load(a00 + c)
        let y01 = L.load(a01 + c)
        let y10 = L.load(a10 + c)
        let y11 = L.load(a11 + c)
        let r00 = y00, r10 = y00 + y10, r20 = y00 - y10, r30 = -y10
        let r01 = y01, r11 = y01 + y11, r21 = y01 - y11, r31 = -y11
        (r00).store(m + 0 &* s + c)
        (r00 + r01).store(m + 1 &* s + c)
        (r00 - r01).store(m + 2 &* s + c)
        (-r01).store(m + 3 &* s + c)
        (r10).store(m + 4 &* s + c)
        (r10 + r11).store(m + 5 &* s + c)
        (r10 - r11).store(m + 6 &* s + c)
        (-r11).store(m + 7 &* s + c)
        (r20).store(m + 8 &* s + c)
        (r20 + r21).store(m + 9 &* s + c)
        (r20 - r21).store(m + 10 &* s + c)
        (-r21).store(m + 11 &* s + c)
        (r30).store(m + 12 &* s + c)
        (r30 + r31).store(m + 13 &* s + c)
        (r30 - r31).store(m + 14 &* s + c)
        (-r31).store(m + 15 &* s + c)
    }

    @inline(__always)
    static func inputAdjointLanes<L: WinogradLane>(_: L.Type, _ c: Int, _ v: UnsafePointer<Float>, _ s: Int, _ w: Window) {
        let y00 = L.load(v + 0 &* s + c)
        let y10 = L.load(v + 4 &* s + c)
        let y20 = L.load(v + 8 &* s + c)
        let y30 = L.load(v + 12 &* s + c)
        let x00 = y00, x10 = y10 - y20 + y30, x20 = y10 + y20 - y00, x30 = -y30
        let y01 = L.load(v + 1 &* s + c)
        let y11 = L.load(v + 5 &* s + c)
        let y21 = L.load(v + 9 &* s + c)
        let y31 = L.load(v + 13 &* s + c)
        let x01 = y01, x11 = y11 - y21 + y31, x21 = y11 + y21 - y01, x31 = -y31
        let y02 = L.load(v + 2 &* s + c)
        let y12 = L.load(v + 6 &* s + c)
        let y22 = L.load(v + 10 &* s + c)
        let y32 = L.load(v + 14 &* s + c)
        let x02 = y02, x12 = y12 - y22 + y32, x22 = y12 + y22 - y02, x32 = -y32
        let y03 = L.load(v + 3 &* s + c)
        let y13 = L.load(v + 7 &* s + c)
        let y23 = L.load(v + 11 &* s + c)
        let y33 = L.load(v + 15 &* s + c)
        let x03 = y03, x13 = y13 - y23 + y33, x23 = y13 + y23 - y03, x33 = -y33
        (L.load(w.p00 + c) + (x00)).store(w.p00 + c)
        (L.load(w.p01 + c) + (x01 - x02 + x03)).store(w.p01 + c)
        (L.load(w.p02 + c) + (x01 + x02 - x00)).store(w.p02 + c)
        (L.load(w.p03 + c) + (-x03)).store(w.p03 + c)
        (L.load(w.p10 + c) + (x10)).store(w.p10 + c)
        (L.load(w.p11 + c) + (x11 - x12 + x13)).store(w.p11 + c)
        (L.load(w.p12 + c) + (x11 + x12 - x10)).store(w.p12 + c)
        (L.load(w.p13 + c) + (-x13)).store(w.p13 + c)
        (L.load(w.p20 + c) + (x20)).store(w.p20 + c)
        (L.load(w.p21 + c) + (x21 - x22 + x23)).store(w.p21 + c)
        (L.load(w.p22 + c) + (x21 + x22 - x20)).store(w.p22 + c)
        (L.load(w.p23 + c) + (-x23)).store(w.p23 + c)
        (L.load(w.p30 + c) + (x30)).store(w.p30 + c)
        (L.load(w.p31 + c) + (x31 - x32 + x33)).store(w.p31 + c)
        (L.load(w.p32 + c) + (x31 + x32 - x30)).store(w.p32 + c)
        (L.load(w.p33 + c) + (-x33)).store(w.p33 + c)
    }

    /// // x (H, W, C) one sample -> V rows of `tiles` (input tile `d`, `B^T d B` per channel)
    static func transformInput(_ t: Tiles, _ x: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>,
                               positionStride s: Int, zeros: UnsafePointer<Float>) {
        let g = t.g, channels = g.channels
        for k in tiles {
            let ty = k / t.cols, tx = k &- ty &* t.cols
            let iy = 2 &* ty &- g.padTop, ix = 2 &* tx &- g.padLeft
            let w = Window(g, UnsafeMutablePointer(mutating: x), iy, ix, outside: UnsafeMutablePointer(mutating: zeros))
            let out = v + (k &- tiles.lowerBound) &* channels
            forLanes(channels, { inputLanes(SIMD4<Float>.self, $0, w, out, s) },
                     { inputLanes(Float.self, $0, w, out, s) })
        }
    }

    /// // M rows of `tiles` -> y (OH, OW, O) one sample: `A^T m A + bias`, then the activation
    static func transformOutput(_ t: Tiles, _ m: UnsafePointer<Float>, tiles: Range<Int>, positionStride s: Int, filters: Int,
                                bias: UnsafePointer<Float>, activation: Activation, into y: UnsafeMutablePointer<Float>,
                                dump: UnsafeMutablePointer<Float>) {
        let g = t.g
        for k in tiles {
            let ty = k / t.cols, tx = k &- ty &* t.cols
            let oy = 2 &* ty, ox = 2 &* tx
            let right = ox &+ 1 < g.outWidth, below = oy &+ 1 < g.outHeight
            let q00 = y + (oy &* g.outWidth &+ ox) &* filters
            let q01 = right ? q00 + filters : dump
            let q10 = below ? q00 + g.outWidth &* filters : dump
            let q11 = right && below ? q10 + filters : dump
            let src = m + (k &- tiles.lowerBound) &* filters
            forLanes(filters, { outputLanes(SIMD4<Float>.self, $0, src, s, bias, q00, q01, q10, q11) },
                     { outputLanes(Float.self, $0, src, s, bias, q00, q01, q10, q11) })
            if activation != .linear {
                let n = right ? 2 : 1
                Activation.forwardRows(activation, q00, rows: n, cols: filters, bias: nil)
                if below { Activation.forwardRows(activation, q10, rows: n, cols: filters, bias: nil) }
            }
        }
    }

    /// The adjoint of `transformOutput` (before the activation): `dM = A dY A^T` per tile.
    /// // dz (OH, OW, O) one sample -> dM rows of `tiles`
    static func outputAdjoint(_ t: Tiles, _ dz: UnsafePointer<Float>, tiles: Range<Int>, filters: Int,
                              into m: UnsafeMutablePointer<Float>, positionStride s: Int, zeros: UnsafePointer<Float>) {
        let g = t.g
        for k in tiles {
            let ty = k / t.cols, tx = k &- ty &* t.cols
            let oy = 2 &* ty, ox = 2 &* tx
            let right = ox &+ 1 < g.outWidth, below = oy &+ 1 < g.outHeight
            let a00 = dz + (oy &* g.outWidth &+ ox) &* filters
            let a01 = right ? a00 + filters : zeros
            let a10 = below ? a00 + g.outWidth &* filters : zeros
            let a11 = right && below ? a10 + filters : zeros
            let out = m + (k &- tiles.lowerBound) &* filters
            forLanes(filters, { outputAdjointLanes(SIMD4<Float>.self, $0, a00, a01, a10, a11, out, s) },
                     { outputAdjointLanes(Float.self, $0, a00, a01, a10, a11, out, s) })
        }
    }

    /// The adjoint of `transformInput`: adds `B dV B^T` of every tile into the sample's input
    /// gradient (tiles overlap by two pixels; the caller clears `dx` before the sample's first
    /// tile block).
    /// // dV rows of `tiles` -> dx (H, W, C) one sample (accumulated)
    static func inputAdjoint(_ t: Tiles, _ v: UnsafePointer<Float>, tiles: Range<Int>, positionStride s: Int,
                             into dx: UnsafeMutablePointer<Float>, dump: UnsafeMutablePointer<Float>) {
        let g = t.g, channels = g.channels
        for k in tiles {
            let ty = k / t.cols, tx = k &- ty &* t.cols
            let iy = 2 &* ty &- g.padTop, ix = 2 &* tx &- g.padLeft
            let w = Window(g, dx, iy, ix, outside: dump)
            let src = v + (k &- tiles.lowerBound) &* channels
            forLanes(channels, { inputAdjointLanes(SIMD4<Float>.self, $0, src, s, w) },
                     { inputAdjointLanes(Float.self, $0, src, s, w) })
        }
    }
}
