/// Naive twins of the fast layers: direct loops over arrays, Double accumulation, no im2col,
/// no BLAS, no threads. The tests compare every fast layer against these on random shapes.
enum Reference {
    /// // x (N, H, W, C), kernel (KH, KW, C, O), bias (O) -> z (N, OH, OW, O), pre-activation
    static func convForward(_ g: ConvGeometry, batch: Int, x: [Float], kernel: [Float], bias: [Float], filters o: Int) -> [Float] {
        var z = [Float](repeating: 0, count: batch * g.outHeight * g.outWidth * o)
        for n in 0..<batch {
            for oy in 0..<g.outHeight {
                for ox in 0..<g.outWidth {
                    for f in 0..<o {
                        var sum = Double(bias[f])
                        for ky in 0..<g.kernelHeight {
                            for kx in 0..<g.kernelWidth {
                                let iy = oy * g.strideY - g.padTop + ky, ix = ox * g.strideX - g.padLeft + kx
                                guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                                for c in 0..<g.channels {
                                    sum += Double(x[((n * g.height + iy) * g.width + ix) * g.channels + c])
                                        * Double(kernel[((ky * g.kernelWidth + kx) * g.channels + c) * o + f])
                                }
                            }
                        }
                        z[((n * g.outHeight + oy) * g.outWidth + ox) * o + f] = Float(sum)
                    }
                }
            }
        }
        return z
    }

    /// Gradients of a convolution from dL/dz: (dx, dkernel, dbias).
    static func convBackward(_ g: ConvGeometry, batch: Int, x: [Float], kernel: [Float], dz: [Float], filters o: Int)
        -> (dx: [Float], dKernel: [Float], dBias: [Float]) {
        var dx = [Double](repeating: 0, count: x.count), dk = [Double](repeating: 0, count: kernel.count)
        var db = [Double](repeating: 0, count: o)
        for n in 0..<batch {
            for oy in 0..<g.outHeight {
                for ox in 0..<g.outWidth {
                    for f in 0..<o {
                        let d = Double(dz[((n * g.outHeight + oy) * g.outWidth + ox) * o + f])
                        db[f] += d
                        for ky in 0..<g.kernelHeight {
                            for kx in 0..<g.kernelWidth {
                                let iy = oy * g.strideY - g.padTop + ky, ix = ox * g.strideX - g.padLeft + kx
                                guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                                for c in 0..<g.channels {
                                    let xi = ((n * g.height + iy) * g.width + ix) * g.channels + c
                                    let ki = ((ky * g.kernelWidth + kx) * g.channels + c) * o + f
                                    dx[xi] += d * Double(kernel[ki])
                                    dk[ki] += d * Double(x[xi])
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dx.map { Float($0) }, dk.map { Float($0) }, db.map { Float($0) })
    }

    /// // x (N, I), kernel (I, O), bias (O) -> z (N, O)
    static func denseForward(batch: Int, inputs: Int, x: [Float], kernel: [Float], bias: [Float], units: Int) -> [Float] {
        var z = [Float](repeating: 0, count: batch * units)
        for n in 0..<batch {
            for u in 0..<units {
                var sum = Double(bias[u])
                for i in 0..<inputs { sum += Double(x[n * inputs + i]) * Double(kernel[i * units + u]) }
                z[n * units + u] = Float(sum)
            }
        }
        return z
    }

    static func denseBackward(batch: Int, inputs: Int, x: [Float], kernel: [Float], dz: [Float], units: Int)
        -> (dx: [Float], dKernel: [Float], dBias: [Float]) {
        var dx = [Float](repeating: 0, count: batch * inputs), dk = [Float](repeating: 0, count: inputs * units)
        var db = [Float](repeating: 0, count: units)
        for u in 0..<units { db[u] = Float((0..<batch).reduce(0.0) { $0 + Double(dz[$1 * units + u]) }) }
        for i in 0..<inputs {
            for u in 0..<units { dk[i * units + u] = Float((0..<batch).reduce(0.0) { $0 + Double(x[$1 * inputs + i]) * Double(dz[$1 * units + u]) }) }
        }
        for n in 0..<batch {
            for i in 0..<inputs { dx[n * inputs + i] = Float((0..<units).reduce(0.0) { $0 + Double(dz[n * units + $1]) * Double(kernel[i * units + $1]) }) }
        }
        return (dx, dk, db)
    }

    /// Max or average pooling of one batch; windows clipped to the image.
    static func pool(_ g: ConvGeometry, batch: Int, x: [Float], max isMax: Bool) -> [Float] {
        var y = [Float](repeating: 0, count: batch * g.outHeight * g.outWidth * g.channels)
        for n in 0..<batch {
            for oy in 0..<g.outHeight {
                for ox in 0..<g.outWidth {
                    for c in 0..<g.channels {
                        var best = -Float.infinity, sum = 0.0, count = 0
                        for ky in 0..<g.kernelHeight {
                            for kx in 0..<g.kernelWidth {
                                let iy = oy * g.strideY - g.padTop + ky, ix = ox * g.strideX - g.padLeft + kx
                                guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                                let v = x[((n * g.height + iy) * g.width + ix) * g.channels + c]
                                best = max(best, v); sum += Double(v); count += 1
                            }
                        }
                        y[((n * g.outHeight + oy) * g.outWidth + ox) * g.channels + c] = isMax ? best : Float(sum / Double(count))
                    }
                }
            }
        }
        return y
    }

    /// Activation applied to rows of `cols` values (softmax per row), in Double.
    static func activate(_ act: Activation, _ z: [Float], cols: Int) -> [Float] {
        switch act {
        case .linear: return z
        case .relu: return z.map { max($0, 0) }
        case .sigmoid: return z.map { Float(1 / (1 + exp(-Double($0)))) }
        case .tanh: return z.map { Float(Foundation_tanh(Double($0))) }
        case .softmax:
            var y = z
            for r in 0..<(z.count / cols) {
                let row = z[(r * cols)..<((r + 1) * cols)].map(Double.init)
                let peak = row.max()!, e = row.map { exp($0 - peak) }, s = e.reduce(0, +)
                for c in 0..<cols { y[r * cols + c] = Float(e[c] / s) }
            }
            return y
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func Foundation_tanh(_ x: Double) -> Double { Glibc.tanh(x) }
#endif
