import DataPrep
import Foundation
import Testing
@testable import Augment

/// The C span kernel (AVX2, `CWarp`) against the portable Swift loop, byte for byte:
/// reproducibility means the same seed gives the same bytes on every CPU, SIMD or not.
@Suite struct WarpSIMDTests {
    /// `Warp.apply` (bilinear) with the interior-span loop pinned.
    static func warp(_ image: Image, _ map: AffineMatrix, fill: FillMode, cval: UInt8, kernel: Warp.SpanKernel) -> [UInt8] {
        var out = [UInt8](repeating: 0xA5, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                Warp.apply(s.baseAddress!, into: d.baseAddress!, shape: image.shape, map: map,
                           interpolation: .bilinear, fill: fill, cval: cval, kernel: kernel)
            }
        }
        return out
    }

    /// A Keras-style composition about the centre: zoom, shear, rotation, flip, then shift;
    /// every fourth map is pushed far off the image, every eighth is a wild matrix.
    static func randomMap(_ trial: Int, _ w: Int, _ h: Int, _ g: inout SeededGenerator) -> AffineMatrix {
        let r = { (scale: Double, g: inout SeededGenerator) in g.nextDouble(in: -scale, scale) }
        if trial % 8 == 7 {
            return AffineMatrix(a: r(3, &g), b: r(3, &g), tx: r(Double(w) * 2, &g), c: r(3, &g), d: r(3, &g), ty: r(Double(h) * 2, &g))
        }
        let zoom = AffineMatrix.scale(x: 1 + r(0.4, &g), y: 1 + r(0.4, &g))
        let shear = AffineMatrix(a: 1, b: r(0.5, &g), tx: 0, c: 0, d: 1, ty: 0)
        let flip = AffineMatrix.scale(x: g.nextBool() ? -1 : 1, y: g.nextBool(probability: 0.2) ? -1 : 1)
        let turn = AffineMatrix.rotation(degrees: r(180, &g))
        let reach = trial % 4 == 3 ? 1.5 : 0.3   // 1.5: mostly or wholly outside
        let shift = AffineMatrix.translation(x: r(Double(w) * reach, &g), y: r(Double(h) * reach, &g))
        return shift.concatenating(turn.concatenating(flip).concatenating(shear).concatenating(zoom))
            .about(x: Double(w - 1) / 2, y: Double(h - 1) / 2)
    }

    @Test(arguments: [1, 3, 4])
    func simdSpansEqualThePortableLoop(channels: Int) {
        var g = SeededGenerator(seed: 2026, stream: UInt64(channels))
        var simdPixels = 0
        for trial in 0..<160 {
            // Mostly small shapes (every span length and tail), some up to 200x150.
            let w = trial % 5 == 0 ? 1 + g.nextInt(below: 200) : 1 + g.nextInt(below: 40)
            let h = trial % 5 == 0 ? 1 + g.nextInt(below: 150) : 1 + g.nextInt(below: 30)
            let image = TestImages.make(w, h, channels: channels) { x, y, c in (x * 37 + y * 91 + c * 53 + trial) ^ (x * y * 7) }
            let map = Self.randomMap(trial, w, h, &g)
            let fill = FillMode.allCases[trial % FillMode.allCases.count]
            let portable = Self.warp(image, map, fill: fill, cval: 201, kernel: .portable)
            let fastest = Self.warp(image, map, fill: fill, cval: 201, kernel: .fastest)
            #expect(fastest == portable, "trial \(trial) \(w)x\(h)x\(channels) \(fill) \(map)")
            if fastest != portable { return }
            simdPixels += w >= 9 ? w * h : 0
        }
        #expect(simdPixels > 100_000, "the trials must reach spans long enough for the vector kernel")
    }

    /// Spans of every length from 1 to 70 (one vector, several, and every overlapping tail),
    /// at a fractional shift whose taps all land inside except in the last column and row.
    @Test(arguments: [1, 3, 4])
    func everySpanLengthAndTail(channels: Int) {
        for w in 1...71 {
            let image = TestImages.make(w, 3, channels: channels) { x, y, c in x * 29 + y * 101 + c * 67 + (x * x) % 13 }
            let map = AffineMatrix(a: 1, b: 0, tx: 0.37, c: 0, d: 1, ty: 0.61)
            let portable = Self.warp(image, map, fill: .nearest, cval: 0, kernel: .portable)
            #expect(Self.warp(image, map, fill: .nearest, cval: 0, kernel: .fastest) == portable, "width \(w)")
            // Hand-computed corner: (0.37, 0.61) rounds to (95, 156)/256 between rows 0 and 1.
            if w >= 2 {
                let p00 = image.pixels[0], p01 = image.pixels[channels], p10 = image.pixels[w * channels], p11 = image.pixels[(w + 1) * channels]
                let top = Int(p00) * (256 - 95) + Int(p01) * 95, bottom = Int(p10) * (256 - 95) + Int(p11) * 95
                #expect(Int(portable[0]) == (top * (256 - 156) + bottom * 156 + 32768) >> 16, "width \(w)")
            }
        }
    }

    /// The portable loop (with the constant-fill row split) against the per-pixel fixed-point
    /// kernel, so the fallback stays tested on machines where the C kernel is used.
    @Test(arguments: [1, 3, 4])
    func portableLoopEqualsThePerPixelKernel(channels: Int) {
        var g = SeededGenerator(seed: 99, stream: UInt64(channels))
        for trial in 0..<120 {
            let w = 1 + g.nextInt(below: 48), h = 1 + g.nextInt(below: 36)
            let image = TestImages.make(w, h, channels: channels) { x, y, c in (x * 53 + y * 17 + c * 91) ^ (x * y + trial) }
            let map = Self.randomMap(trial, w, h, &g)
            for fill in FillMode.allCases {
                let expected = Warp.fixedPointReference(image.pixels, shape: image.shape, map: map, fill: fill, cval: 33)
                let got = Self.warp(image, map, fill: fill, cval: 33, kernel: .portable)
                #expect(got == expected, "trial \(trial) \(w)x\(h)x\(channels) \(fill) \(map)")
                if got != expected { return }
            }
        }
    }

    /// The level CPUID chose agrees with the flags the kernel reports in /proc/cpuinfo.
    @Test func simdLevelMatchesTheCPUFlags() throws {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            print("WarpSIMDTests: skipped, no /proc/cpuinfo flags on this system")
            return
        }
        let flags = Set(line.split(separator: " ").map(String.init))
        #if arch(x86_64)
        let expected: Int32 = flags.contains("avx2") ? 1 : 0
        #else
        let expected: Int32 = 0
        #endif
        #expect(Warp.simdLevel == expected, "avx2 in /proc/cpuinfo: \(flags.contains("avx2"))")
    }
}
