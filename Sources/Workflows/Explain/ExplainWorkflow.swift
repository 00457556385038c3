import DataPrep
import Foundation
import Report
import Train

/// `explain`: what a checkpoint looks at for one sample (occlusion sensitivity), what its layers
/// produce (activation maps) and, for a dataset input, how each layer's outputs are distributed
/// per class. Writes the pictures, CSVs and explain.json into a staged folder.
public struct ExplainWorkflow {
    /// A checkpoint folder (RUN/best, RUN/last) or a run folder (its best checkpoint).
    public var checkpoint: String
    /// A JPEG/PNG, or a dataset (then `split` and `index` choose the sample).
    public var input: String
    /// The output folder (an earlier explain output there is replaced).
    public var out: String
    public var split = "test"
    public var index = 0
    /// The class to explain, by name or index; nil for the predicted class.
    public var explainedClass: String?
    /// Occlusion patch side, step between positions, and the byte hidden pixels get.
    public var occlusionPatch = 3
    public var occlusionStride = 1
    public var occlusionFill: UInt8 = 0
    /// Layers to draw activation maps of (name, checkpoint prefix or index); empty: every conv layer.
    public var layers: [String] = []
    /// Samples per class for the layer statistics.
    public var samplesPerClass = 100
    public var batchSize = 64
    public var decoding = DecodeChoice()
    public var threads = Parallel.defaultThreads

    public init(checkpoint: String, input: String, out: String) {
        self.checkpoint = checkpoint
        self.input = input
        self.out = out
    }

    /// What was found and written; `statistics` is nil for a single image input.
    public struct Outcome {
        public let summary: ExplainSummary
        public let statistics: LayerStatistics?
    }

    /// The sample to explain and, for a dataset input, the split it came from (for statistics).
    private struct Sample {
        var image: Image
        var label: Int?
        var source: String
        var dataset: ImageDataset?
    }

    public func run(events: WorkflowEvents = .silent) throws -> Outcome {
        let location = try CheckpointLocation(resolving: checkpoint)
        let (network, info) = try Checkpoint.load(from: location.directory, threads: threads)
        let classNames = info.classNames
        guard classNames.count == ClassProbabilities.classCount(of: network) else {
            throw TrainError.incompatibleData(reason: "the checkpoint names \(classNames.count) classes for a model with \(ClassProbabilities.classCount(of: network))")
        }
        let chosenLayers = layers.isEmpty ? LayerReference.convolutions(in: network) : try LayerReference.resolve(layers, in: network)
        let sample = try loadSample(network: network, info: info, events: events)
        let normalized = Self.normalize(sample.image, info.normalization)

        let probabilities = ClassProbabilities.of(normalized, network: network)
        let predicted = ClassProbabilities.predicted(probabilities, binary: ClassProbabilities.isBinary(network))
        let target = try explainedClass.map { try Self.classIndex($0, in: classNames) } ?? predicted

        let fill = Self.normalize(Image(width: 1, height: 1, channels: sample.image.channels,
                                        pixels: [UInt8](repeating: occlusionFill, count: sample.image.channels)), info.normalization)
        let options = OcclusionMap.Options(patch: occlusionPatch, stride: occlusionStride, fill: fill, batchSize: batchSize)
        let map = try events.withProgress("occlusion") { bar in
            try OcclusionMap.compute(network: network, input: normalized, target: target, options: options,
                                     progress: { bar.update($0, of: $1) })
        }
        let activations = LayerActivations.capture(network: network, input: normalized, layers: chosenLayers)

        var statistics: LayerStatistics?
        if let dataset = sample.dataset {
            statistics = events.withProgress("layer statistics") { bar in
                LayerStatistics.measure(network: network, dataset: dataset, normalization: info.normalization,
                                        samplesPerClass: samplesPerClass, batchSize: batchSize, progress: { bar.update($0, of: $1) })
            }
        } else {
            events.note("note: layer statistics need a dataset INPUT; skipped for a single image")
        }

        let peak = map.values.indices.max { map.values[$0] < map.values[$1] } ?? 0
        var summary = ExplainSummary(
            checkpoint: location.directory, input: input, split: sample.dataset == nil ? nil : split,
            index: sample.dataset == nil ? nil : index, source: sample.source, trueClass: sample.label.map { classNames[$0] },
            classNames: classNames, probabilities: probabilities, predictedClass: classNames[predicted], predictedIndex: predicted,
            explainedClass: classNames[target], explainedIndex: target,
            occlusion: .init(patch: occlusionPatch, stride: occlusionStride, fill: Int(occlusionFill),
                             positions: map.deltas.count, baseline: map.baseline, maximum: map.maximum,
                             maximumAt: [peak / map.width, peak % map.width], picture: "occlusion.png", csv: "occlusion.csv"),
            activations: activations.map { .init(layer: $0.layer.name, path: $0.layer.path, shape: $0.layer.outputShape.dimensions,
                                                 file: "activations-\($0.layer.name).png") },
            statisticsSamplesPerClass: statistics == nil ? nil : samplesPerClass, statistics: statistics?.rows,
            statisticsFile: statistics == nil ? nil : "layer-stats.csv", out: out, files: [])
        // Every picture also as SVG beside its PNG (same drawing, text as text).
        summary.files = ["occlusion.png", "occlusion.svg", "occlusion.csv"]
            + summary.activations.flatMap { [$0.file, String($0.file.dropLast(4)) + ".svg"] }
            + (statistics == nil ? [] : ["layer-stats.csv"]) + [ExplainSummary.fileName]

        try ExplainOutput(summary: summary, map: map, image: sample.image, activations: activations, statistics: statistics).write()
        return Outcome(summary: summary, statistics: statistics)
    }

    /// The single image, or sample `index` of `split` with its labels aligned to the model's classes.
    private func loadSample(network: Network, info: CheckpointInfo, events: WorkflowEvents) throws -> Sample {
        if try DatasetSource.open(input) is SingleImage {
            return Sample(image: try CheckpointData.image(input, model: info.input, decoding: decoding, events: events), label: nil,
                          source: input, dataset: nil)
        }
        let loaded = try CheckpointData.load(input, model: info.input, resize: nil, decoding: decoding, threads: threads, events: events)
        let (dataset, origins) = try CheckpointData.split(split, of: loaded)
        let aligned = try ClassAlignment.align(dataset, to: info.classNames)
        try TrainData.check(aligned, fits: network, classNames: info.classNames)
        guard index < aligned.count else {
            throw TrainError.invalidConfiguration(reason: "--index \(index) is outside split \(split) of \(input) (0..<\(aligned.count))")
        }
        return Sample(image: aligned.image(at: index), label: Int(aligned.labels[index]),
                      source: origins.isEmpty ? "\(split)#\(index)" : origins[index], dataset: aligned)
    }

    /// A class given as a name first (class names may be digits, as MNIST's are), then as an index.
    public static func classIndex(_ text: String, in classNames: [String]) throws -> Int {
        if let i = classNames.firstIndex(of: text) { return i }
        if let i = Int(text), classNames.indices.contains(i) { return i }
        throw TrainError.invalidConfiguration(reason: "--class \(text) is neither a class name nor an index 0..<\(classNames.count) "
            + "(classes: \(classNames.prefix(12).joined(separator: ", "))\(classNames.count > 12 ? "…" : ""))")
    }

    static func normalize(_ image: Image, _ normalization: Normalization) -> [Float] {
        var out = [Float](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { normalization.apply(src, channels: image.channels, into: $0) }
        }
        return out
    }
}
