import DataPrep
import Foundation
import Train

/// The page `dataprep train` leaves in its run folder: `RUN/curves.png`, `RUN/curves.svg` and
/// `RUN/report.html` (the curves inline as SVG, the per-epoch history table, and the
/// configuration that produced them).
public struct TrainingReport: Sendable {
    public var title: String
    public var history: [EpochRecord]
    /// Run facts shown above the curves (model, data, seed, stop reason…), in order.
    public var facts: [(String, String)]
    /// Keras-style model summary text.
    public var modelSummary: String
    public var classNames: [String]

    public init(title: String, history: [EpochRecord], facts: [(String, String)], modelSummary: String, classNames: [String]) {
        self.title = title; self.history = history; self.facts = facts; self.modelSummary = modelSummary; self.classNames = classNames
    }

    /// The report of `trainer`'s run so far.
    ///
    /// - Parameters:
    ///   - validation: where validation samples came from (`ValidationSource.description`).
    ///   - augmentation: the training augmentation, one operation per item (empty: none).
    public init(directory: String, trainer: Trainer, classNames: [String], normalization: Normalization, stopReason: StopReason?,
                validation: String? = nil, augmentation: [String] = []) {
        let config = trainer.config, state = trainer.state, network = trainer.network
        let optimizer = config.optimizer
        var optimizerText = "\(optimizer.kind.rawValue), learning rate \(optimizer.learningRate)"
        if optimizer.momentum > 0 { optimizerText += ", momentum \(optimizer.momentum)\(optimizer.nesterov ? " (Nesterov)" : "")" }
        var facts: [(String, String)] = [
            ("Run", directory),
            ("Model", network.spec.name.map { "\($0): \(network.spec.text)" } ?? network.spec.text),
            ("Input", "\(network.inputShape), normalization \(normalization.name)"),
            ("Parameters", Self.parameterText(ModelSummary(network: network))),
            ("Classes", "\(classNames.count)"),
            ("Loss", config.loss.rawValue),
            ("Optimizer", optimizerText),
            ("Schedule", config.schedule.description),
            ("Batch size", "\(config.batchSize)"),
            ("Validation", validation ?? "–"),
            ("Augmentation", augmentation.isEmpty ? "none" : augmentation.joined(separator: ", ")),
            ("Epochs", "\(state.history.count) of \(config.epochs)" + (config.patience.map { ", patience \($0)" } ?? "")),
            ("Seed", "\(config.seed)"),
        ]
        if let best = state.bestEpoch, let loss = state.bestLoss {
            let monitored = state.history.last?.validationLoss == nil ? "training loss" : "validation loss"
            facts.append(("Best epoch", "\(best) (\(monitored) \(Self.format(loss, 4)))"))
        }
        if let stopReason { facts.append(("Stopped", stopReason.rawValue)) }
        self.init(title: "Training report: \(lastPathComponent(directory))", history: state.history, facts: facts,
                  modelSummary: ModelSummary(network: network).text, classNames: classNames)
    }

    /// The curves picture, rendered.
    public func curves() throws -> RenderedChart {
        try RenderedChart(TrainingCurves.drawing(history: history), title: Self.curvesTitle)
    }

    static let curvesTitle = "Loss and accuracy per epoch, training and validation"

    /// The HTML document, with `curves` inline as SVG.
    public func html(curves: RenderedChart) -> String {
        var page = HTMLPage(title: title)
        page.facts(facts)
        page.heading("Training curves")
        if history.isEmpty { page.note("No epoch finished yet.") }
        page.chart(curves, id: "curves")
        page.heading("History")
        let rows = history.map { r -> [String] in
            ["\(r.epoch)", "\(r.learningRate)", Self.format(r.loss, 4), Self.format(r.accuracy, 4),
             r.validationLoss.map { Self.format($0, 4) } ?? "–", r.validationAccuracy.map { Self.format($0, 4) } ?? "–",
             r.penalty.map { Self.format($0, 4) } ?? "–", Self.format(r.seconds, 1), Self.format(r.samplesPerSecond, 0)]
        }
        page.table(headers: ["epoch", "learning rate", "loss", "accuracy", "val loss", "val accuracy", "penalty", "seconds", "samples/s"],
                   rows: rows, id: "history", numeric: Set(0..<9))
        page.note("loss and val loss include the L1/L2 penalty of the weights (as Keras reports them); history.csv also has them without it.")
        page.heading("Model")
        page.preformatted(modelSummary)
        page.heading("Classes")
        page.paragraph(classNames.joined(separator: ", "))
        return page.html
    }

    /// Writes `curves.png`, `curves.svg` and `report.html` into `directory` (atomically each).
    public func write(to directory: String) throws {
        let chart = try curves()
        try chart.write(to: directory, name: "curves")
        try FileIO.writeAtomically(Array(html(curves: chart).utf8), to: joinPath(directory, "report.html"))
    }

    /// "1,234 (trainable 1,000, non-trainable 234)", as `model summary` totals them.
    static func parameterText(_ summary: ModelSummary) -> String {
        "\(summary.totalParameters) (trainable \(summary.trainableParameters), non-trainable \(summary.nonTrainableParameters))"
    }

    static func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}
