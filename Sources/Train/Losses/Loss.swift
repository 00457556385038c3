#if canImport(Glibc)
import Glibc
#endif

/// Training objectives, averaged over the valid samples of a batch (Keras's reduction).
///
/// Each takes the network's *output* (softmax probabilities / sigmoid probabilities, as Keras
/// models end) and writes the gradient with respect to the last layer's *pre-activation*
/// (`p - y`, divided by the batch size): the fused form, exact and free of the 0/0 that the
/// separate softmax Jacobian meets when a probability underflows.
public enum Loss: String, Codable, Sendable, CaseIterable {
    /// Softmax output, integer labels.
    case sparseCategoricalCrossEntropy = "sparse-categorical-crossentropy"
    /// Softmax output, one-hot (or soft) target rows.
    case categoricalCrossEntropy = "categorical-crossentropy"
    /// One sigmoid output per sample, labels 0/1.
    case binaryCrossEntropy = "binary-crossentropy"

    /// Keras clips probabilities to [eps, 1 - eps] before the log.
    static let epsilon: Float = 1e-7

    /// The loss a model's output layer calls for: softmax → sparse CE, one sigmoid unit → BCE.
    public static func matching(activation: Activation, outputs: Int) -> Loss? {
        switch activation {
        case .softmax: return .sparseCategoricalCrossEntropy
        case .sigmoid where outputs == 1: return .binaryCrossEntropy
        default: return nil
        }
    }

    /// The activation the fused gradient assumes.
    public var outputActivation: Activation { self == .binaryCrossEntropy ? .sigmoid : .softmax }

    /// Mean loss over `batch` rows of `classes` outputs. Writes `dL/dz` into `gradient` when given.
    ///
    /// - Parameters:
    ///   - labels: class index per sample (sparse CE, BCE).
    ///   - targets: `batch * classes` target probabilities (categorical CE).
    public func evaluate(output: UnsafePointer<Float>, batch: Int, classes: Int,
                         labels: UnsafePointer<Int32>?, targets: UnsafePointer<Float>? = nil,
                         gradient: UnsafeMutablePointer<Float>?) -> Double {
        sum(output: output, batch: batch, classes: classes, labels: labels, targets: targets, gradient: gradient,
            meanOver: batch) / Double(batch)
    }

    /// The loss summed over `batch` rows (in row order), with `dL/dz` of the mean over
    /// `meanOver` samples in `gradient`: one block of a larger step (`SampleBlocks`) gets the
    /// gradient of the whole step's mean.
    func sum(output: UnsafePointer<Float>, batch: Int, classes: Int, labels: UnsafePointer<Int32>?,
             targets: UnsafePointer<Float>?, gradient: UnsafeMutablePointer<Float>?, meanOver: Int) -> Double {
        let eps = Self.epsilon, scale = 1 / Float(meanOver)
        var total = 0.0
        switch self {
        case .sparseCategoricalCrossEntropy:
            guard let labels else { preconditionFailure("sparse cross-entropy needs labels") }
            for n in 0..<batch {
                let row = output + n &* classes, label = Int(labels[n])
                precondition(label >= 0 && label < classes, "label \(label) out of range for \(classes) outputs")
                total -= Double(logf(min(max(row[label], eps), 1 - eps)))
                if let gradient {
                    let g = gradient + n &* classes
                    for c in 0..<classes { g[c] = row[c] * scale }
                    g[label] -= scale
                }
            }
        case .categoricalCrossEntropy:
            guard let targets else { preconditionFailure("categorical cross-entropy needs target rows") }
            for n in 0..<batch {
                let row = output + n &* classes, t = targets + n &* classes
                for c in 0..<classes where t[c] != 0 { total -= Double(t[c] * logf(min(max(row[c], eps), 1 - eps))) }
                if let gradient {
                    let g = gradient + n &* classes
                    for c in 0..<classes { g[c] = (row[c] - t[c]) * scale }
                }
            }
        case .binaryCrossEntropy:
            guard let labels else { preconditionFailure("binary cross-entropy needs labels") }
            precondition(classes == 1, "binary cross-entropy needs one output per sample, got \(classes)")
            for n in 0..<batch {
                let p = min(max(output[n], eps), 1 - eps), y = Float(labels[n])
                total -= Double(y * logf(p) + (1 - y) * logf(1 - p))
                gradient?[n] = (output[n] - y) * scale
            }
        }
        return total
    }

    /// Correct predictions among `batch` rows: argmax == label, or (p > 0.5) == label for BCE.
    public func correct(output: UnsafePointer<Float>, batch: Int, classes: Int, labels: UnsafePointer<Int32>) -> Int {
        var hits = 0
        for n in 0..<batch {
            if self == .binaryCrossEntropy {
                if (output[n] > 0.5 ? 1 : 0) == labels[n] { hits += 1 }
            } else {
                let row = output + n &* classes
                var best = 0
                for c in 1..<max(1, classes) where row[c] > row[best] { best = c }
                if best == Int(labels[n]) { hits += 1 }
            }
        }
        return hits
    }
}
