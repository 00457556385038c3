import Foundation
import DataPrep

/// Additive Gaussian noise from a table of normal quantiles.
///
/// Each 64-bit draw of a `SeededGenerator` yields five 12-bit indices into 4096 equiprobable
/// quantiles `Φ⁻¹((k + 0.5) / 4096)`: a discretised normal (tails cut at ±3.5σ) that is
/// indistinguishable once rounded to bytes, and ~10x cheaper than Box–Muller per pixel
/// (which needs a log, a square root and a cosine).
enum NoiseKernel {
    /// The 4096 quantiles, ascending.
    static let quantiles: [Float] = (0..<4096).map { Float(inverseNormal((Double($0) + 0.5) / 4096)) }

    // in/out (H,W,C) u8: v -> clamp(round(v + sigma * z)), z drawn per byte from the stream `seed`
    static func apply(_ image: PixelView, sigma: Float, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let p = image.base, n = image.byteCount
        quantiles.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            var i = 0
            while i < n {
                var bits = generator.next()
                let end = min(n, i &+ 5)
                while i < end {
                    let v = Float(p[i]) + t[Int(bits & 4095)] * sigma + 0.5
                    p[i] = UInt8(truncatingIfNeeded: Int32(max(0, min(255, v))))
                    bits &>>= 12
                    i &+= 1
                }
            }
        }
    }

    /// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
    static func inverseNormal(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -inverseNormal(1 - p) }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
