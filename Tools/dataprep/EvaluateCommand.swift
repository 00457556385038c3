import ArgumentParser
import Cluster
import DataPrep
import Foundation
import Report
import Train
import Workflows

/// `dataprep evaluate CHECKPOINT DATA`: one inference pass over a split, never shuffled, with
/// the checkpoint's own normalization; prints the metrics and writes the predictions, metrics,
/// confusion picture and HTML report.
struct EvaluateCommand: DistributedCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a checkpoint on a dataset split: loss, accuracy, confusion matrix, per-class report, predictions CSV.",
        discussion: """
        CHECKPOINT is a checkpoint folder (RUN/best, RUN/last) or a run folder (its best checkpoint). DATA is anything \
        `train` reads; samples are visited in stored order and normalized as the checkpoint was trained. Classes are \
        matched by name, so a test set may lack some of the model's classes (they get no support); a class the model \
        does not know is an error. Photo folders are resized to the model's input unless --resize says otherwise.

        The classification report uses scikit-learn's definitions (precision, recall, F1 per class; macro = unweighted \
        mean over all classes; weighted = by support). A ratio 0/0 (a class never predicted, or one without samples) \
        is reported as 0, as scikit-learn's zero_division=0, and named in a footnote.

        The loss is Keras's model.evaluate loss: the compiled loss plus the L1/L2 penalty of the weights (`l1 * sum|w| \
        + l2 * sum w^2` over the trainable regularized kernels); metrics.json and --json also give dataLoss (without \
        it) and penalty.

        Writes into --out (default: RUN/eval-DATA-SPLIT beside the checkpoint, DATA being the dataset's folder or \
        file name, e.g. RUN/eval-mnist-test; RUN/eval-last-DATA-SPLIT for RUN/last): predictions.csv (index, source, \
        true, predicted, one probability column per class), metrics.json, confusion.png and report.html \
        (self-contained). An earlier evaluation there is refused unless --overwrite; a folder that is not an \
        evaluation is always refused. A lone batch file's only split `all` is evaluated (and labelled `all`) when \
        --split is not given.

        Exit status: 0 evaluated; 1 data or checkpoint error, refused output folder; 64 bad usage.
        """)

    @Argument(help: "A checkpoint folder (RUN/best, RUN/last) or a run folder (uses RUN/best).", completion: .directory)
    var checkpoint: String

    @Argument(help: "The dataset: a split output, MNIST/CIFAR folder or archive, or an image folder.", completion: .file())
    var data: String

    @Option(name: .long, help: "Split to evaluate.")
    var split: String = "test"

    @Option(name: .long, help: "Samples per forward pass (any value gives the same predictions).")
    var batchSize: Int = 64

    @Option(name: .long, help: "Output folder (default: RUN/eval-DATA-SPLIT beside the checkpoint).", completion: .directory)
    var out: String?

    @Flag(name: .long, help: "Replace an earlier evaluation in the output folder.")
    var overwrite = false

    @OptionGroup var loading: PhotoLoadingOptions<EvaluateLoadingText>

    @OptionGroup(title: "Classes (relabel DATA as it was for training)")
    var relabel: ClassMapOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        try loading.validateResize()
        guard !split.isEmpty else { throw ValidationError("--split must name a split") }
    }

    func run() throws { try report(workflow().run(events: common.events)) }

    /// Every rank evaluates its share of whole batches; rank 0 gathers, writes and prints.
    func run(across cluster: Cluster) throws {
        if let outcome = try workflow().run(across: cluster, events: common.events) { try report(outcome) }
    }

    private func workflow() throws -> EvaluateWorkflow {
        var workflow = EvaluateWorkflow(checkpoint: checkpoint, data: data)
        (workflow.split, workflow.batchSize, workflow.out, workflow.overwrite) = (split, batchSize, out, overwrite)
        (workflow.resize, workflow.decoding, workflow.threads) = (loading.size, loading.choice, common.threads)
        workflow.classMap = try relabel.classMap()
        return workflow
    }

    private func report(_ outcome: EvaluateWorkflow.Outcome) throws {
        let metrics = outcome.metrics
        if common.json {
            try CommandSupport.printJSON(metrics)
        } else {
            print(String(format: "%@ on %@ (%d samples): loss %.4f  accuracy %.4f", outcome.checkpoint, outcome.split, metrics.samples,
                         metrics.loss, metrics.accuracy)
                  + (metrics.penalty > 0 ? String(format: "  (data loss %.4f + penalty %.4f)", metrics.dataLoss, metrics.penalty) : ""))
            print("")
            print(metrics.report.text)
            print("")
            if outcome.classNames.count <= 20 {
                print("confusion matrix (rows true, columns predicted):")
                print(outcome.predictions.confusionMatrix.text(classNames: outcome.classNames))
                print("")
            }
        }
        CommandSupport.note("wrote \(EvaluationReport.files.joined(separator: ", ")) to \(outcome.directory)")
    }
}
