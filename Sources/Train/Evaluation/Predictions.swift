import DataPrep

/// What a model said about every sample of a dataset, in the dataset's order: the true label,
/// the predicted class and the class probabilities, plus the mean loss. The raw material of
/// `dataprep evaluate`'s confusion matrix, report and predictions CSV.
public struct Predictions: Sendable {
    /// Classes (probability columns). A single-sigmoid model has 2: [1 − p, p].
    public let classes: Int
    /// True class per sample.
    public var labels: [Int]
    /// Predicted class per sample: the argmax (lowest index on ties), or p > 0.5 for one sigmoid unit.
    public var predicted: [Int]
    /// `count * classes` probabilities, row-major.
    public var probabilities: [Float]
    /// Mean loss over the samples, as training's validation computes it.
    public var loss: Double

    public var count: Int { labels.count }

    /// Row `i` of the probabilities.
    public func probabilities(of i: Int) -> ArraySlice<Float> { probabilities[(i * classes)..<((i + 1) * classes)] }

    /// The confusion matrix of these predictions.
    public var confusionMatrix: ConfusionMatrix { ConfusionMatrix(classes: classes, trueLabels: labels, predicted: predicted) }

    /// Fraction predicted correctly.
    public var accuracy: Double { confusionMatrix.accuracy }

    /// Runs `network` in inference mode over one pass of `source` (epoch 0, never shuffled by
    /// the caller), recording every sample by its source index.
    ///
    /// - Parameters:
    ///   - loss: the training loss matching the network's output (see `Loss.matching`).
    ///   - progress: called after each batch with (samples done, total).
    /// - Complexity: one forward pass per sample; O(count × classes) memory.
    public static func run<S: BatchSource>(network: Network, loss: Loss, source: inout S, batchSize: Int,
                                           progress: (Int, Int) -> Void = { _, _ in }) throws -> Predictions {
        var terms: [Double] = []
        return try run(network: network, loss: loss, source: &source, batchSize: batchSize, lossTerms: &terms, progress: progress)
    }

    /// `run`, also handing back each batch's loss term (its mean loss × its size) in batch
    /// order: the mean loss is their sum from 0 in that order over the sample count, so shards
    /// of whole batches evaluated apart (`concatenating`) give the single pass's bits.
    public static func run<S: BatchSource>(network: Network, loss: Loss, source: inout S, batchSize: Int, lossTerms: inout [Double],
                                           progress: (Int, Int) -> Void = { _, _ in }) throws -> Predictions {
        let outputs = network.outputShape.count
        let binary = loss == .binaryCrossEntropy
        let classes = binary ? 2 : outputs
        let total = source.sampleCount
        var labels = [Int](repeating: 0, count: total), predicted = labels
        var probabilities = [Float](repeating: 0, count: total * classes)
        var lossSum = 0.0, seen = 0
        try source.forEachBatch(epoch: 0, batchSize: batchSize) { batch in
            let n = batch.count
            batch.images.withUnsafeBufferPointer { images in
                batch.labels.withUnsafeBufferPointer { batchLabels in
                    // out (n, outputs): softmax rows, or one sigmoid probability per sample
                    let out = network.forward(images.baseAddress!, batch: n, mode: .inference)
                    let term = Self.batchLoss(loss, output: out, batch: n, outputs: outputs, labels: batchLabels.baseAddress!) * Double(n)
                    lossTerms.append(term)
                    lossSum += term
                    probabilities.withUnsafeMutableBufferPointer { probs in
                        for k in 0..<n {
                            let i = batch.indices[k]
                            precondition(i >= 0 && i < total, "batch source index \(i) outside 0..<\(total)")
                            labels[i] = Int(batchLabels[k])
                            let row = probs.baseAddress! + i * classes
                            if binary {
                                row[0] = 1 - out[k]; row[1] = out[k]
                                predicted[i] = out[k] > 0.5 ? 1 : 0
                            } else {
                                var best = 0
                                for c in 0..<classes {
                                    row[c] = out[k * outputs + c]
                                    if row[c] > row[best] { best = c }
                                }
                                predicted[i] = best
                            }
                        }
                    }
                }
            }
            seen += n
            progress(seen, total)
        }
        return Predictions(classes: classes, labels: labels, predicted: predicted, probabilities: probabilities,
                           loss: lossSum / Double(max(1, seen)))
    }

    /// The mean loss of one batch, with one-hot targets for categorical cross-entropy.
    static func batchLoss(_ loss: Loss, output: UnsafePointer<Float>, batch n: Int, outputs: Int, labels: UnsafePointer<Int32>) -> Double {
        guard loss == .categoricalCrossEntropy else {
            return loss.evaluate(output: output, batch: n, classes: outputs, labels: labels, gradient: nil)
        }
        var targets = [Float](repeating: 0, count: n * outputs)
        for i in 0..<n { targets[i * outputs + Int(labels[i])] = 1 }
        return targets.withUnsafeBufferPointer {
            loss.evaluate(output: output, batch: n, classes: outputs, labels: nil, targets: $0.baseAddress, gradient: nil)
        }
    }

    public init(classes: Int, labels: [Int], predicted: [Int], probabilities: [Float], loss: Double) {
        precondition(labels.count == predicted.count && probabilities.count == labels.count * classes,
                     "predictions must pair up: \(labels.count) labels, \(predicted.count) predictions, \(probabilities.count) probabilities for \(classes) classes")
        self.classes = classes; self.labels = labels; self.predicted = predicted
        self.probabilities = probabilities; self.loss = loss
    }
}
