import Foundation
@testable import Train
@testable import Report

/// Small reports built from hand-made numbers (no network needed), shared by the HTML and
/// browser tests.
enum ReportFixtures {
    /// 3 classes, one with a name that needs escaping; class "C" has no samples and is
    /// never predicted.
    static let classNames = ["A", "<b>&'dog\"", "C"]

    static func evaluation() -> EvaluationReport {
        let predictions = Predictions(classes: 3, labels: [0, 0, 1, 1, 1], predicted: [0, 1, 1, 1, 0],
                                      probabilities: [0.8, 0.2, 0, 0.4, 0.6, 0, 0.1, 0.9, 0, 0.3, 0.7, 0, 0.6, 0.4, 0],
                                      loss: 0.5)
        let metrics = EvaluationMetrics(checkpoint: "/runs/demo/best", data: "Fixtures/demo", split: "test",
                                        predictions: predictions, classNames: classNames)
        return EvaluationReport(metrics: metrics, predictions: predictions,
                                sources: ["a.png", "b,1.png", "c.png", "d.png", "e.png"])
    }

    static func training() -> TrainingReport {
        TrainingReport(title: "Training report: demo", history: [
            EpochRecord(epoch: 1, learningRate: 0.001, loss: 1.5, accuracy: 0.4, validationLoss: 1.4, validationAccuracy: 0.45,
                        seconds: 1.2, samplesPerSecond: 800),
            EpochRecord(epoch: 2, learningRate: 0.001, loss: 0.9, accuracy: 0.7, validationLoss: 1.0, validationAccuracy: 0.65,
                        seconds: 1.1, samplesPerSecond: 850),
        ], facts: [("Run", "/runs/<demo>"), ("Seed", "5")], modelSummary: "dense 3 softmax  <3 outputs>", classNames: classNames)
    }

    /// Three runs ranked by val_loss; one name needs escaping, one run has no validation.
    static func comparison() -> ComparisonReport {
        let names = ["l2=0.001,dropout=0.3", "<b>&'run\"", "baseline"]
        func curve(_ name: String, _ values: [Double]) -> ComparisonReport.Curve {
            .init(name: name, points: values.enumerated().map { (Double($0.offset + 1), $0.element) })
        }
        return ComparisonReport(
            title: "Comparison: 3 runs", metric: "val_loss",
            columns: ["run", "params", "best epoch", "val_loss", "val_accuracy"],
            rows: [[names[0], "1234", "4", "0.4100", "0.8800"], [names[1], "1234", "3", "0.5200", "0.8100"], [names[2], "1234", "2", "–", "–"]],
            curves: ["val_loss": [curve(names[0], [0.9, 0.6, 0.45, 0.41, 0.43]), curve(names[1], [1.0, 0.7, 0.52]), curve(names[2], [])],
                     "val_accuracy": [curve(names[0], [0.6, 0.75, 0.84, 0.88, 0.87]), curve(names[1], [0.55, 0.7, 0.81]), curve(names[2], [])]],
            settings: [(names[0], [("l2", "0.001"), ("dropout", "0.3")]), (names[1], [("model", "dense 3 softmax <x>")]), (names[2], [])])
    }

    static func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "dataprep-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }
}
