/// Row-block column sums with explicit 8-wide vectors.
///
/// Why explicit: the plain `acc[c] += src[c]` loop compiled to scalar `addss` (perf annotate,
/// 19% of a dogs-cats training step inside conv backward), because `acc` and `src` may alias as
/// far as the compiler knows. Loading 8 floats into a `SIMD8` and storing them back makes the
/// vector width explicit.
enum ColumnSums {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self) }

    /// `acc[c] = sum over rows r of m[r, c]`, rows `r` in order.
    ///
    /// // m (rows, cols) -> acc (cols), overwritten
    static func sum(_ m: UnsafePointer<Float>, rows: Range<Int>, cols: Int, into acc: UnsafeMutablePointer<Float>) {
        acc.update(repeating: 0, count: cols)
        let vectorCols = cols & ~7
        var c0 = 0
        while c0 < vectorCols {
            // Four column blocks at a time keep their running sums in registers.
            let width = min(4, (vectorCols &- c0) >> 3)
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            for r in rows {
                let src = m + (r &* cols &+ c0)
                a0 += load(src)
                if width > 1 { a1 += load(src + 8) }
                if width > 2 { a2 += load(src + 16) }
                if width > 3 { a3 += load(src + 24) }
            }
            storeSums(a0, a1, a2, a3, width: width, to: acc + c0)
            c0 &+= width &* 8
        }
        if vectorCols < cols {
            for r in rows {
                let src = m + r &* cols
                for c in vectorCols..<cols { acc[c] += src[c] }
            }
        }
    }

    /// ReLU backward in place (`dz = y > 0 ? dz : 0`) and the column sums of the result.
    ///
    /// // y (rows, cols), dz (rows, cols) -> dz masked, acc (cols) overwritten
    static func reluMaskedSum(_ y: UnsafePointer<Float>, _ dz: UnsafeMutablePointer<Float>, rows: Range<Int>, cols: Int,
                              into acc: UnsafeMutablePointer<Float>) {
        acc.update(repeating: 0, count: cols)
        let vectorCols = cols & ~7
        let zero = SIMD8<Float>()
        var c0 = 0
        while c0 < vectorCols {
            let width = min(4, (vectorCols &- c0) >> 3)
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            for r in rows {
                let o = r &* cols &+ c0
                let d = dz + o, out = y + o
                let v0 = load(d).replacing(with: zero, where: load(out) .<= zero); store(v0, d); a0 += v0
                if width > 1 { let v = load(d + 8).replacing(with: zero, where: load(out + 8) .<= zero); store(v, d + 8); a1 += v }
                if width > 2 { let v = load(d + 16).replacing(with: zero, where: load(out + 16) .<= zero); store(v, d + 16); a2 += v }
                if width > 3 { let v = load(d + 24).replacing(with: zero, where: load(out + 24) .<= zero); store(v, d + 24); a3 += v }
            }
            storeSums(a0, a1, a2, a3, width: width, to: acc + c0)
            c0 &+= width &* 8
        }
        if vectorCols < cols {
            for r in rows {
                let d = dz + r &* cols, out = y + r &* cols
                for c in vectorCols..<cols { let v = out[c] > 0 ? d[c] : 0; d[c] = v; acc[c] += v }
            }
        }
    }

    /// Writes the first `width` (1...4) eight-column accumulators of a column block.
    @inline(__always)
    static func storeSums(_ a0: SIMD8<Float>, _ a1: SIMD8<Float>, _ a2: SIMD8<Float>, _ a3: SIMD8<Float>,
                          width: Int, to p: UnsafeMutablePointer<Float>) {
        store(a0, p)
        if width > 1 { store(a1, p + 8) }
        if width > 2 { store(a2, p + 16) }
        if width > 3 { store(a3, p + 24) }
    }
}
