internal import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Optimizer settings, Keras defaults.
public struct OptimizerConfig: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case sgd, adam, rmsprop }

    public var kind: Kind
    public var learningRate: Float
    /// SGD momentum (0 = plain SGD).
    public var momentum: Float = 0
    public var nesterov = false
    /// Adam.
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    /// Adam and RMSprop (Keras: 1e-7).
    public var epsilon: Float = 1e-7
    /// RMSprop decay.
    public var rho: Float = 0.9

    public init(kind: Kind, learningRate: Float? = nil, momentum: Float = 0, nesterov: Bool = false) {
        self.kind = kind
        self.learningRate = learningRate ?? (kind == .sgd ? 0.01 : 0.001)
        self.momentum = momentum; self.nesterov = nesterov
    }
}

/// Applies gradients to a `ParameterStore` with one flat loop per contiguous trainable range.
///
/// Update rules (Keras 3):
/// - SGD: `v = momentum * v - lr * g`; `w += v` (Nesterov: `w += momentum * v - lr * g`);
///   without momentum `w -= lr * g`.
/// - Adam: `m += (g - m)(1 - b1)`, `v += (g^2 - v)(1 - b2)`,
///   `w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)`.
/// - RMSprop: `v = rho * v + (1 - rho) g^2`; `w -= lr * g / (sqrt(v) + eps)`.
public final class Optimizer {
    public let config: OptimizerConfig
    /// Updates applied so far (Adam's `t`).
    public internal(set) var iterations: Int = 0
    /// Per-parameter state, same layout as the store: SGD velocity / Adam m / RMSprop mean square.
    let slot1: UnsafeMutablePointer<Float>
    /// Adam's second moment.
    let slot2: UnsafeMutablePointer<Float>
    public let count: Int

    public init(config: OptimizerConfig, parameterCount: Int) {
        self.config = config
        count = parameterCount
        slot1 = .allocate(capacity: max(1, count)); slot1.initialize(repeating: 0, count: max(1, count))
        slot2 = .allocate(capacity: max(1, count)); slot2.initialize(repeating: 0, count: max(1, count))
    }

    deinit { slot1.deallocate(); slot2.deallocate() }

    /// Names of the state slots this optimizer uses (checkpoint tensor prefixes).
    public var slotNames: [String] {
        switch config.kind {
        case .sgd: return config.momentum > 0 ? ["velocity"] : []
        case .adam: return ["m", "v"]
        case .rmsprop: return ["mean_square"]
        }
    }

    func slot(_ name: String) -> UnsafeMutablePointer<Float>? {
        switch name {
        case "velocity", "m", "mean_square": return slot1
        case "v": return slot2
        default: return nil
        }
    }

    /// Floats per piece of the update: every piece is independent (the rules are elementwise),
    /// so pieces only spread the memory-bound sweep over the worker threads.
    static let chunk = 32_768

    /// One update of every trainable parameter with learning rate `lr`, on up to `threads`
    /// threads (the result does not depend on the thread count: each element is updated once).
    /// `isa`: the instruction-set level of Adam's loop (the same bits at every level).
    public func step(_ store: ParameterStore, learningRate lr: Float, threads: Int = 1, isa: KernelISA = .host) {
        iterations += 1
        var pieces: [Range<Int>] = []
        for range in store.trainableRanges {
            var lo = range.lowerBound
            while lo < range.upperBound {
                let hi = min(lo + Self.chunk, range.upperBound)
                pieces.append(lo..<hi)
                lo = hi
            }
        }
        let w = store.values, g = store.gradients, s1 = slot1, s2 = slot2, c = config
        let t = Float(iterations)
        let alpha = lr * (1 - powf(c.beta2, t)).squareRoot() / (1 - powf(c.beta1, t))
        pieces.withUnsafeBufferPointer { list in
            Workers(threads: threads).run(list.count) { p in
                Self.update(c, lr: lr, alpha: alpha, w: w, g: g, s1: s1, s2: s2, range: list[p], isa: isa)
            }
        }
    }

    /// The update rule over one contiguous range. `alpha` is Adam's bias-corrected rate.
    private static func update(_ c: OptimizerConfig, lr: Float, alpha: Float, w: UnsafeMutablePointer<Float>,
                               g: UnsafeMutablePointer<Float>, s1: UnsafeMutablePointer<Float>,
                               s2: UnsafeMutablePointer<Float>, range: Range<Int>, isa: KernelISA) {
        let lo = range.lowerBound, hi = range.upperBound
        switch c.kind {
        case .sgd:
            if c.momentum == 0 {
                for i in lo..<hi { w[i] -= lr * g[i] }
            } else if c.nesterov {
                let mu = c.momentum
                for i in lo..<hi { let v = mu * s1[i] - lr * g[i]; s1[i] = v; w[i] += mu * v - lr * g[i] }
            } else {
                let mu = c.momentum
                for i in lo..<hi { let v = mu * s1[i] - lr * g[i]; s1[i] = v; w[i] += v }
            }
        case .adam:
            // m += (g - m) a1; v += (g^2 - v) a2; w -= alpha m / (sqrt(v) + eps), in C at the
            // CPU's level (the Swift scalar loop over four pointers that may alias did not
            // vectorize: 5 ns per parameter on the CIFAR preset's 1.25 M).
            ck_adam(isa.code, w + lo, g + lo, s1 + lo, s2 + lo, hi - lo, 1 - c.beta1, 1 - c.beta2, c.epsilon, alpha)
        case .rmsprop:
            let rho = c.rho, eps = c.epsilon
            for i in lo..<hi {
                let gi = g[i]
                let v = rho * s1[i] + (1 - rho) * gi * gi
                s1[i] = v
                w[i] -= lr * gi / (v.squareRoot() + eps)
            }
        }
    }
}
