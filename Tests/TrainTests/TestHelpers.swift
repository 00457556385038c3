import DataPrep
@testable import Train

/// A deterministic stream of test floats in [lo, hi).
struct TestRandom {
    var generator: SeededGenerator
    init(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func floats(_ count: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
        (0..<count).map { _ in lo + (hi - lo) * generator.nextFloat() }
    }
}

extension Network {
    /// Forward pass on an array, returning a copy of the output.
    func run(_ x: [Float], batch: Int, mode: Mode = .inference, seed: UInt64 = 0, step: Int = 0) -> [Float] {
        x.withUnsafeBufferPointer { p in
            let out = forward(p.baseAddress!, batch: batch, mode: mode, seed: seed, step: step)
            return Array(UnsafeBufferPointer(start: out, count: batch * outputShape.count))
        }
    }

    /// Runs backward from `dOutput` (gradient w.r.t. the output, or the pre-activation when
    /// `fused`) after a forward on `x`; returns the input gradient. Parameter gradients land in the store.
    func gradients(_ x: [Float], batch: Int, dOutput: [Float], fused: Bool = false, mode: Mode = .training) -> [Float] {
        _ = run(x, batch: batch, mode: mode)
        dOutput.withUnsafeBufferPointer { outputGradient.update(from: $0.baseAddress!, count: $0.count) }
        var dx = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            dx.withUnsafeMutableBufferPointer { dp in
                backwardToInput(input: xp.baseAddress!, batch: batch, into: dp.baseAddress!, fusedOutputActivation: fused)
            }
        }
        return dx
    }

    func setValues(_ tensor: String, _ values: [Float]) {
        let t = parameters.tensor(named: tensor)!
        precondition(t.count == values.count)
        values.withUnsafeBufferPointer { (parameters.values + t.offset).update(from: $0.baseAddress!, count: t.count) }
    }

    func values(_ tensor: String) -> [Float] { parameters.array(parameters.tensor(named: tensor)!) }

    func gradient(_ tensor: String) -> [Float] {
        let t = parameters.tensor(named: tensor)!
        return Array(UnsafeBufferPointer(start: parameters.gradients + t.offset, count: t.count))
    }
}

/// Largest |a - b| / max(1, |b|).
func maxRelativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "sizes \(a.count) vs \(b.count)")
    var worst: Float = 0
    for i in a.indices { worst = max(worst, abs(a[i] - b[i]) / max(1, abs(b[i]))) }
    return worst
}

/// A small in-memory dataset (random bytes, labels i % classes) for training tests.
func syntheticDataset(count: Int, height: Int, width: Int, channels: Int, classes: Int, seed: UInt64) -> ImageDataset {
    var g = SeededGenerator(seed: seed)
    var pixels = [UInt8](repeating: 0, count: count * height * width * channels)
    let labels = (0..<count).map { Int32($0 % classes) }
    for i in 0..<count {
        // Class-dependent brightness so the task is learnable.
        let base = Int(labels[i]) * 200 / max(1, classes - 1)
        for j in 0..<(height * width * channels) {
            pixels[i * height * width * channels + j] = UInt8(clamping: base / 2 + g.nextInt(below: 128))
        }
    }
    return ImageDataset(height: height, width: width, channels: channels, pixels: pixels, labels: labels,
                        classNames: (0..<classes).map(String.init))
}
