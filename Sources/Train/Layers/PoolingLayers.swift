/// MaxPool2D: keeps the argmax of every output (an offset inside the sample) so the backward
/// pass is one scatter. Windows that reach into `same` padding only see real pixels.
final class MaxPool2DLayer: Layer {
    let index: Int
    let spec: LayerSpec
    let inputShape: TensorShape
    let outputShape: TensorShape
    let geometry: ConvGeometry
    private var argmax = Workspace<Int32>()

    init(index: Int, spec: LayerSpec, input: TensorShape) throws {
        self.index = index; self.spec = spec; inputShape = input
        geometry = try poolGeometry(index: index, spec: spec, input: input)
        outputShape = TensorShape(height: geometry.outHeight, width: geometry.outWidth, channels: input.channels)
    }

    deinit { argmax.free() }

    func reserve(batch: Int) { _ = argmax.reserve(batch * outputShape.count, initial: 0) }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        // x (N, H, W, C) -> y (N, OH, OW, C), argmax (N, OH, OW, C) offsets into the sample
        let g = geometry, outCount = outputShape.count
        let arg = argmax.reserve(batch * outCount, initial: 0)
        let parts = Workers.parts(count: batch, costPerItem: g.inputCount, maxParts: 16)
        context.workers.run(parts) { p in
            for n in Workers.range(p, of: parts, count: batch) {
                Pooling.maxForward(g, x + n &* g.inputCount, y + n &* outCount, arg + n &* outCount)
            }
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        guard let dx else { return }
        let g = geometry, outCount = outputShape.count, arg = argmax.pointer!
        let parts = Workers.parts(count: batch, costPerItem: g.inputCount, maxParts: 16)
        context.workers.run(parts) { p in
            for n in Workers.range(p, of: parts, count: batch) {
                let d = dx + n &* g.inputCount, a = arg + n &* outCount, s = dy + n &* outCount
                d.update(repeating: 0, count: g.inputCount)
                for i in 0..<outCount { d[Int(a[i])] += s[i] }
            }
        }
    }
}

/// AveragePool2D; with `same` padding the mean is over the real pixels of the window (Keras/TF).
final class AveragePool2DLayer: Layer {
    let index: Int
    let spec: LayerSpec
    let inputShape: TensorShape
    let outputShape: TensorShape
    let geometry: ConvGeometry

    init(index: Int, spec: LayerSpec, input: TensorShape) throws {
        self.index = index; self.spec = spec; inputShape = input
        geometry = try poolGeometry(index: index, spec: spec, input: input)
        outputShape = TensorShape(height: geometry.outHeight, width: geometry.outWidth, channels: input.channels)
    }

    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, context: StepContext) {
        let g = geometry, outCount = outputShape.count
        let parts = Workers.parts(count: batch, costPerItem: g.inputCount, maxParts: 16)
        context.workers.run(parts) { p in
            for n in Workers.range(p, of: parts, count: batch) {
                Pooling.averageForward(g, x + n &* g.inputCount, y + n &* outCount)
            }
        }
    }

    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, skipActivation: Bool, context: StepContext) {
        guard let dx else { return }
        let g = geometry, outCount = outputShape.count
        let parts = Workers.parts(count: batch, costPerItem: g.inputCount, maxParts: 16)
        context.workers.run(parts) { p in
            for n in Workers.range(p, of: parts, count: batch) {
                Pooling.averageBackward(g, dy + n &* outCount, dx + n &* g.inputCount)
            }
        }
    }
}

private func poolGeometry(index: Int, spec: LayerSpec, input: TensorShape) throws -> ConvGeometry {
    let k = spec.kernel ?? [2, 2], s = spec.stride ?? k
    guard let g = ConvGeometry(height: input.height, width: input.width, channels: input.channels,
                               kernel: (k[0], k[1]), stride: (s[0], s[1]), padding: spec.padding ?? .valid) else {
        throw TrainError.shapeMismatch(layer: "\(index) (\(spec.text))", reason: "a \(k[0])x\(k[1]) window does not fit the \(input) input")
    }
    return g
}

/// Pooling kernels for one sample.
enum Pooling {
    /// The window of output (oy, ox) clipped to the image: (y0..<y1, x0..<x1).
    @inline(__always)
    static func window(_ g: ConvGeometry, _ oy: Int, _ ox: Int) -> (Int, Int, Int, Int) {
        let y0 = oy &* g.strideY &- g.padTop, x0 = ox &* g.strideX &- g.padLeft
        return (max(y0, 0), min(y0 &+ g.kernelHeight, g.height), max(x0, 0), min(x0 &+ g.kernelWidth, g.width))
    }

    // x (H, W, C) -> y (OH, OW, C), arg (OH, OW, C)
    static func maxForward(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                           _ arg: UnsafeMutablePointer<Int32>) {
        let c = g.channels
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let (y0, y1, x0, x1) = window(g, oy, ox)
                let o = (oy &* g.outWidth &+ ox) &* c
                let out = y + o, a = arg + o
                let first = (y0 &* g.width &+ x0) &* c
                for t in 0..<c { out[t] = x[first &+ t]; a[t] = Int32(truncatingIfNeeded: first &+ t) }
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let base = (iy &* g.width &+ ix) &* c
                        for t in 0..<c where x[base &+ t] > out[t] {
                            out[t] = x[base &+ t]; a[t] = Int32(truncatingIfNeeded: base &+ t)
                        }
                    }
                }
            }
        }
    }

    static func averageForward(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let c = g.channels
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let (y0, y1, x0, x1) = window(g, oy, ox)
                let out = y + (oy &* g.outWidth &+ ox) &* c
                for t in 0..<c { out[t] = 0 }
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let src = x + (iy &* g.width &+ ix) &* c
                        for t in 0..<c { out[t] += src[t] }
                    }
                }
                let scale = 1 / Float((y1 - y0) * (x1 - x0))
                for t in 0..<c { out[t] *= scale }
            }
        }
    }

    static func averageBackward(_ g: ConvGeometry, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
        let c = g.channels
        dx.update(repeating: 0, count: g.inputCount)
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                let (y0, y1, x0, x1) = window(g, oy, ox)
                let src = dy + (oy &* g.outWidth &+ ox) &* c
                let scale = 1 / Float((y1 - y0) * (x1 - x0))
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let dst = dx + (iy &* g.width &+ ix) &* c
                        for t in 0..<c { dst[t] += src[t] * scale }
                    }
                }
            }
        }
    }
}
