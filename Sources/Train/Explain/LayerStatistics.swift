import DataPrep

/// Per layer and per class, the mean, unbiased variance and share of exact zeros of everything
/// the layer outputs over up to `samplesPerClass` samples of the class: the numbers users read
/// to decide whether a BatchNorm layer helps (drifting means and spreads from layer to layer)
/// and whether ReLUs are dying (zero fractions near 1).
///
/// All of a layer's output values of all chosen samples are pooled: `values` is
/// `samples × outputShape.count` and the variance divides by `values − 1`.
public struct LayerStatistics: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        /// Keras-style layer name (`conv2d_1`) and its index in the spec.
        public var layer: String
        public var layerIndex: Int
        public var className: String
        public var classIndex: Int
        /// Samples of the class measured, and the output values pooled over them.
        public var samples: Int
        public var values: Int
        public var mean: Double
        /// Unbiased (`n − 1`); nil with fewer than two values.
        public var variance: Double?
        public var zeroFraction: Double
    }

    /// Layer-major, classes in index order within each layer; classes without samples have no rows.
    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    /// The first `samplesPerClass` samples of each class, in stored order: a choice that does not
    /// depend on a seed, so two runs (or two checkpoints) are measured on the same images.
    public static func sampleIndices(labels: [Int32], classes: Int, samplesPerClass: Int) -> [Int] {
        var taken = [Int](repeating: 0, count: classes), chosen: [Int] = []
        for (i, label) in labels.enumerated() where taken[Int(label)] < samplesPerClass {
            taken[Int(label)] += 1
            chosen.append(i)
        }
        return chosen
    }

    /// Runs `network` in inference mode on the chosen samples of `dataset` and measures every layer.
    ///
    /// - Parameters:
    ///   - dataset: labels must index `classNames` (align them to the model first).
    ///   - normalization: the checkpoint's, so the numbers are those training saw.
    ///   - progress: called after each batch with (samples done, total).
    /// - Complexity: one forward pass per chosen sample; two reads of every layer output.
    public static func measure(network: Network, dataset: ImageDataset, normalization: Normalization,
                               samplesPerClass: Int, batchSize: Int = 64,
                               progress: (Int, Int) -> Void = { _, _ in }) -> LayerStatistics {
        precondition(samplesPerClass >= 1 && batchSize >= 1, "samplesPerClass \(samplesPerClass), batchSize \(batchSize)")
        precondition(dataset.sampleSize == network.inputShape.count,
                     "samples of \(dataset.sampleSize) bytes for a model taking \(network.inputShape.count) floats")
        let layers = LayerReference.all(in: network), classes = dataset.classNames.count
        let chosen = sampleIndices(labels: dataset.labels, classes: classes, samplesPerClass: samplesPerClass)
        var moments = [[RunningMoments]](repeating: [RunningMoments](repeating: RunningMoments(), count: classes), count: layers.count)
        var samples = [Int](repeating: 0, count: classes)
        let size = dataset.sampleSize
        var batch = [Float](repeating: 0, count: min(batchSize, max(1, chosen.count)) * size)
        var start = 0
        while start < chosen.count {
            let n = min(batchSize, chosen.count - start)
            batch.withUnsafeMutableBufferPointer { b in
                dataset.storage.withUnsafeBufferPointer { pixels in
                    for k in 0..<n {
                        let i = chosen[start + k]
                        normalization.apply(UnsafeBufferPointer(rebasing: pixels[(i * size)..<((i + 1) * size)]), channels: dataset.channels,
                                            into: UnsafeMutableBufferPointer(rebasing: b[(k * size)..<((k + 1) * size)]))
                    }
                }
                network.forward(UnsafePointer(b.baseAddress!), batch: n, mode: .inference)
            }
            for k in 0..<n {
                let label = Int(dataset.labels[chosen[start + k]])
                samples[label] += 1
                for layer in layers {
                    let count = layer.outputShape.count
                    moments[layer.index][label].add(UnsafeBufferPointer(start: network.output(ofLayer: layer.index) + k * count, count: count))
                }
            }
            start += n
            progress(start, chosen.count)
        }
        var rows: [Row] = []
        for layer in layers {
            for c in 0..<classes where samples[c] > 0 {
                let m = moments[layer.index][c]
                rows.append(Row(layer: layer.name, layerIndex: layer.index, className: dataset.classNames[c], classIndex: c,
                                samples: samples[c], values: m.count, mean: m.mean, variance: m.variance, zeroFraction: m.zeroFraction))
            }
        }
        return LayerStatistics(rows: rows)
    }
}
