import ArgumentParser
import DataPrep
import Foundation
import Report
import Train

/// `dataprep explain CHECKPOINT INPUT`: what a trained model looks at (occlusion sensitivity),
/// what its layers produce for one sample (activation maps) and how each layer's outputs are
/// distributed per class (mean, variance, zero fraction) — the numbers behind "does a
/// BatchNorm here help?".
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a checkpoint's prediction: occlusion heat map, activation maps, per-layer statistics per class.",
        discussion: """
        INPUT is a single JPEG/PNG (decoded and resized to the model's input exactly as training photos are) or any \
        dataset `train` and `evaluate` read; then --split and --index choose the sample. Inputs are normalised with \
        the checkpoint's own normalisation.

        Occlusion: a --occlusion-patch square filled with the byte --occlusion-fill (0 = black, normalised like \
        the inputs) slides over the image by --occlusion-stride; each position's |p(class) - p_occluded(class)| is \
        measured for the predicted class or --class, and each pixel gets the mean over the patches covering it. \
        Positions run through the network in batches of --batch-size.

        Writes into --out (built in a hidden sibling, moved into place when complete; an earlier explain output \
        there is replaced): occlusion.png (input and heat overlay, viridis), occlusion.csv (the per-pixel map, one \
        image row per line), activations-LAYER.png per --layers layer (one tile per channel, each stretched over \
        its own range), layer-stats.csv (dataset inputs: layer,class,samples,mean,variance,zero_fraction over the \
        first --samples samples of each class; variance is unbiased, n-1 over all pooled values) and explain.json.

        Exit status: 0 explained; 1 data, checkpoint or option error (unknown layer or class, bad index); 64 bad usage.
        """)

    @Argument(help: "A checkpoint folder (RUN/best, RUN/last) or a run folder (uses RUN/best).", completion: .directory)
    var checkpoint: String

    @Argument(help: "A JPEG/PNG image, or a dataset (split output, MNIST/CIFAR folder or archive, image folder).", completion: .file())
    var input: String

    @Option(name: .long, help: "Output folder (required).", completion: .directory)
    var out: String

    @Option(name: .long, help: "Split of a dataset INPUT to take the sample and statistics from.")
    var split: String = "test"

    @Option(name: .long, help: "Index of the sample in the split (stored order).")
    var index: Int = 0

    @Option(name: .customLong("class"), help: "Class to explain, by name or index (default: the predicted class).")
    var explainedClass: String?

    @Option(name: .long, help: "Occlusion patch side in pixels.")
    var occlusionPatch: Int = 3

    @Option(name: .long, help: "Step between occlusion patch positions in pixels.")
    var occlusionStride: Int = 1

    @Option(name: .long, help: "Byte value hidden pixels get on every channel (0 black ... 255 white), then normalised.")
    var occlusionFill: Int = 0

    @Option(name: .long, parsing: .singleValue,
            help: "Layers to draw activation maps of, by name (conv2d_1), checkpoint prefix (layers.2.conv) or index; comma-separated or repeated (default: every conv layer).")
    var layers: [String] = []

    @Option(name: .long, help: "Samples per class for the layer statistics (dataset INPUT only).")
    var samples: Int = 100

    @Option(name: .long, help: "Samples per forward pass (results agree across values to float rounding, about 1e-7).")
    var batchSize: Int = 64

    @OptionGroup(title: "Decoding photos (the channel count follows the checkpoint)")
    var decoding: DecodeOptions

    @Option(name: .long, help: "Threads (default: all cores). Results are bit-identical for any value.")
    var threads: Int = Parallel.defaultThreads

    @Flag(name: .long, help: "Print the summary (prediction, probabilities, files, statistics rows) as JSON on stdout.")
    var json = false

    @Flag(name: .long, help: "Never draw the progress bar.")
    var noProgress = false

    func validate() throws {
        guard occlusionPatch >= 1 else { throw ValidationError("--occlusion-patch must be at least 1, got \(occlusionPatch)") }
        guard occlusionStride >= 1 else { throw ValidationError("--occlusion-stride must be at least 1, got \(occlusionStride)") }
        guard (0...255).contains(occlusionFill) else { throw ValidationError("--occlusion-fill must be a byte 0...255, got \(occlusionFill)") }
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1, got \(samples)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard index >= 0 else { throw ValidationError("--index must be 0 or more, got \(index)") }
        guard !split.isEmpty else { throw ValidationError("--split must name a split") }
    }

    func run() throws {
        do {
            try explain()
        } catch let error as TrainError {
            CommandSupport.error(error); throw ExitCode(1)
        } catch let error as DataPrepError {
            CommandSupport.error(error); throw ExitCode(1)
        }
    }

    /// The sample to explain and, for a dataset INPUT, the split it came from (for statistics).
    private struct Sample {
        var image: Image
        var label: Int?
        var source: String
        var dataset: ImageDataset?
    }

    private func explain() throws {
        let location = try CheckpointLocation(resolving: checkpoint)
        let (network, info) = try Checkpoint.load(from: location.directory, threads: threads)
        let classNames = info.classNames
        guard classNames.count == ClassProbabilities.classCount(of: network) else {
            throw TrainError.incompatibleData(reason: "the checkpoint names \(classNames.count) classes for a model with \(ClassProbabilities.classCount(of: network))")
        }
        let chosenLayers = layers.isEmpty ? LayerReference.convolutions(in: network)
            : try LayerReference.resolve(layers.flatMap { $0.split(separator: ",").map(String.init) }, in: network)
        let sample = try loadSample(network: network, info: info)
        let normalized = normalize(sample.image, info.normalization)

        let probabilities = ClassProbabilities.of(normalized, network: network)
        let predicted = ClassProbabilities.predicted(probabilities, binary: ClassProbabilities.isBinary(network))
        let target = try explainedClass.map { try Self.classIndex($0, in: classNames) } ?? predicted

        let fill = normalize(Image(width: 1, height: 1, channels: sample.image.channels,
                                   pixels: [UInt8](repeating: UInt8(occlusionFill), count: sample.image.channels)), info.normalization)
        let options = OcclusionMap.Options(patch: occlusionPatch, stride: occlusionStride, fill: fill, batchSize: batchSize)
        let occlusionBar = ProgressBar(label: "occlusion", enabled: !noProgress)
        let map = try OcclusionMap.compute(network: network, input: normalized, target: target, options: options,
                                           progress: { occlusionBar.update($0, of: $1) })
        occlusionBar.finish()
        let activations = LayerActivations.capture(network: network, input: normalized, layers: chosenLayers)

        var statistics: LayerStatistics?
        if let dataset = sample.dataset {
            let bar = ProgressBar(label: "layer statistics", enabled: !noProgress)
            statistics = LayerStatistics.measure(network: network, dataset: dataset, normalization: info.normalization,
                                                 samplesPerClass: samples, batchSize: batchSize, progress: { bar.update($0, of: $1) })
            bar.finish()
        } else {
            CommandSupport.note("note: layer statistics need a dataset INPUT; skipped for a single image")
        }

        let peak = map.values.indices.max { map.values[$0] < map.values[$1] } ?? 0
        var summary = ExplainSummary(
            checkpoint: location.directory, input: input, split: sample.dataset == nil ? nil : split,
            index: sample.dataset == nil ? nil : index, source: sample.source, trueClass: sample.label.map { classNames[$0] },
            classNames: classNames, probabilities: probabilities, predictedClass: classNames[predicted], predictedIndex: predicted,
            explainedClass: classNames[target], explainedIndex: target,
            occlusion: .init(patch: occlusionPatch, stride: occlusionStride, fill: occlusionFill,
                             positions: map.deltas.count, baseline: map.baseline, maximum: map.maximum,
                             maximumAt: [peak / map.width, peak % map.width], picture: "occlusion.png", csv: "occlusion.csv"),
            activations: activations.map { .init(layer: $0.layer.name, path: $0.layer.path, shape: $0.layer.outputShape.dimensions,
                                                 file: "activations-\($0.layer.name).png") },
            statisticsSamplesPerClass: statistics == nil ? nil : samples, statistics: statistics?.rows,
            statisticsFile: statistics == nil ? nil : "layer-stats.csv", out: out, files: [])
        summary.files = ["occlusion.png", "occlusion.csv"] + summary.activations.map(\.file)
            + (statistics == nil ? [] : ["layer-stats.csv"]) + [ExplainSummary.fileName]

        try write(summary, map: map, image: sample.image, activations: activations, statistics: statistics)
        if json {
            try CommandSupport.printJSON(summary)
        } else {
            printText(summary, statistics: statistics)
        }
        CommandSupport.note("wrote \(summary.files.joined(separator: ", ")) to \(out)")
    }

    /// The single image, or sample `--index` of `--split` with its labels aligned to the model's classes.
    private func loadSample(network: Network, info: CheckpointInfo) throws -> Sample {
        if case .image = try DatasetSource.open(input) {
            return Sample(image: try CheckpointData.image(input, model: info.input, decoding: decoding), label: nil, source: input, dataset: nil)
        }
        let loaded = try CheckpointData.load(input, model: info.input, resize: nil, decoding: decoding, threads: threads,
                                             progress: !noProgress)
        let (dataset, origins) = try CheckpointData.split(split, of: loaded)
        let aligned = try ClassAlignment.align(dataset, to: info.classNames)
        try TrainData.check(aligned, fits: network, classNames: info.classNames)
        guard index < aligned.count else {
            throw TrainError.invalidConfiguration(reason: "--index \(index) is outside split \(split) of \(input) (0..<\(aligned.count))")
        }
        return Sample(image: aligned.image(at: index), label: Int(aligned.labels[index]),
                      source: origins.isEmpty ? "\(split)#\(index)" : origins[index], dataset: aligned)
    }

    /// `--class` as a name first (class names may be digits, as MNIST's are), then as an index.
    static func classIndex(_ text: String, in classNames: [String]) throws -> Int {
        if let i = classNames.firstIndex(of: text) { return i }
        if let i = Int(text), classNames.indices.contains(i) { return i }
        throw TrainError.invalidConfiguration(reason: "--class \(text) is neither a class name nor an index 0..<\(classNames.count) "
            + "(classes: \(classNames.prefix(12).joined(separator: ", "))\(classNames.count > 12 ? "…" : ""))")
    }

    private func normalize(_ image: Image, _ normalization: Normalization) -> [Float] {
        var out = [Float](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { normalization.apply(src, channels: image.channels, into: $0) }
        }
        return out
    }

    /// Every file into a staged folder, moved into place at the end.
    private func write(_ summary: ExplainSummary, map: OcclusionMap, image: Image, activations: [LayerActivations],
                       statistics: LayerStatistics?) throws {
        StagingSignals.install()
        let staged = try StagedDirectory(finalPath: out, replaceable: ExplainSummary.isReplaceable)
        do {
            let dir = staged.stagingPath
            let shown = image.channels == 1 || image.channels == 3 ? image : image.converted(to: .rgb)
            let title = "CLASS \(summary.explainedClass) P=" + String(format: "%.3f", Double(map.baseline))
            try OcclusionOverlay(image: shown, heat: map.values, title: title).render().writePNG(to: joinPath(dir, "occlusion.png"))
            try FileIO.writeAtomically(Array(map.csv.utf8), to: joinPath(dir, "occlusion.csv"))
            for a in activations {
                let grid = ActivationGrid(title: "\(a.layer.name) \(a.layer.outputShape)", maps: (0..<a.mapCount).map(a.map),
                                          mapHeight: a.mapSize.height, mapWidth: a.mapSize.width)
                try grid.render().writePNG(to: joinPath(dir, "activations-\(a.layer.name).png"))
            }
            if let statistics { try FileIO.writeAtomically(Array(statistics.csv.utf8), to: joinPath(dir, "layer-stats.csv")) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try FileIO.writeAtomically(Array(try encoder.encode(summary)), to: joinPath(dir, ExplainSummary.fileName))
            try staged.commit(verify: summary.verifyComplete)
        } catch {
            staged.discard()
            throw error
        }
    }

    private func printText(_ s: ExplainSummary, statistics: LayerStatistics?) {
        let sampleText = s.index.map { "\(s.split ?? "")#\($0) (\(s.source))" } ?? s.source
        print("sample \(sampleText)" + (s.trueClass.map { ", true class \($0)" } ?? "")
              + ": predicted \(s.predictedClass) (p=\(String(format: "%.4f", Double(s.probabilities[s.predictedIndex]))))")
        let top = s.probabilities.indices.sorted { s.probabilities[$0] > s.probabilities[$1] }.prefix(5)
        print("top classes: " + top.map { "\(s.classNames[$0]) \(String(format: "%.4f", Double(s.probabilities[$0])))" }.joined(separator: ", "))
        let o = s.occlusion
        print("occlusion of class \(s.explainedClass) (p=\(String(format: "%.4f", Double(o.baseline)))): patch \(o.patch), stride \(o.stride), "
              + "fill \(o.fill), \(o.positions) positions; max mean |dp| \(String(format: "%.4g", Double(o.maximum))) at row \(o.maximumAt[0]), column \(o.maximumAt[1])")
        if let statistics {
            print("")
            print("layer statistics (first \(samples) samples per class of \(split); variance unbiased):")
            print(statistics.text)
        }
    }
}
