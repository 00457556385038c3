import ArgumentParser
import DataPrep
import Foundation
import Report
import Train
import Workflows

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

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard occlusionPatch >= 1 else { throw ValidationError("--occlusion-patch must be at least 1, got \(occlusionPatch)") }
        guard occlusionStride >= 1 else { throw ValidationError("--occlusion-stride must be at least 1, got \(occlusionStride)") }
        guard (0...255).contains(occlusionFill) else { throw ValidationError("--occlusion-fill must be a byte 0...255, got \(occlusionFill)") }
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1, got \(samples)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard index >= 0 else { throw ValidationError("--index must be 0 or more, got \(index)") }
        guard !split.isEmpty else { throw ValidationError("--split must name a split") }
    }

    func run() throws {
        var workflow = ExplainWorkflow(checkpoint: checkpoint, input: input, out: out)
        (workflow.split, workflow.index, workflow.explainedClass) = (split, index, explainedClass)
        (workflow.occlusionPatch, workflow.occlusionStride, workflow.occlusionFill) = (occlusionPatch, occlusionStride, UInt8(occlusionFill))
        workflow.layers = layers.flatMap { $0.split(separator: ",").map(String.init) }
        (workflow.samplesPerClass, workflow.batchSize, workflow.decoding, workflow.threads) = (samples, batchSize, decoding.choice, common.threads)
        StagingSignals.install()
        let outcome = try workflow.run(events: common.events)
        if common.json {
            try CommandSupport.printJSON(outcome.summary)
        } else {
            printText(outcome.summary, statistics: outcome.statistics)
        }
        CommandSupport.note("wrote \(outcome.summary.files.joined(separator: ", ")) to \(out)")
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
