import Testing
@testable import Train

/// Confusion matrix and classification report against values computed by hand.
///
/// The case used throughout: 4 classes A, B, C, D and 9 samples (true → predicted)
/// A→A, A→A, A→B, A→D, B→B, B→B, B→A, C→A, C→B. So C (2 samples) is never predicted and D is
/// predicted once but has no samples: both zero-division cases at once.
@Suite struct EvaluationMetricsTests {
    static let names = ["A", "B", "C", "D"]
    static let truth = [0, 0, 0, 0, 1, 1, 1, 2, 2]
    static let predicted = [0, 0, 1, 3, 1, 1, 0, 0, 1]
    static var matrix: ConfusionMatrix { ConfusionMatrix(classes: 4, trueLabels: truth, predicted: predicted) }

    @Test func confusionMatrixRowsAreTrueClassesColumnsPredicted() {
        let m = Self.matrix
        // Rows by hand: A → [2 1 0 1], B → [1 2 0 0], C → [1 1 0 0], D → [0 0 0 0].
        #expect((0..<4).map(m.row) == [[2, 1, 0, 1], [1, 2, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]])
        #expect(m[true: 0, predicted: 3] == 1 && m[true: 3, predicted: 0] == 0)
        #expect(m.support == [4, 3, 2, 0])
        #expect(m.predictedCounts == [4, 4, 0, 1])
        #expect(m.truePositives == [2, 2, 0, 0])
        #expect(m.total == 9)
        #expect(m.accuracy == 4.0 / 9.0)
    }

    @Test func perClassPrecisionRecallF1() {
        let r = ClassificationReport(matrix: Self.matrix, classNames: Self.names)
        // A: TP 2, FP 2, FN 2 → P 2/4, R 2/4, F1 4/8.
        // B: TP 2, FP 2, FN 1 → P 2/4, R 2/3, F1 4/7.
        // C: TP 0, FP 0, FN 2 → P 0/0 → 0, R 0/2, F1 0/2.
        // D: TP 0, FP 1, FN 0 → P 0/1, R 0/0 → 0, F1 0/1.
        let expected: [(Double, Double, Double, Int)] = [(0.5, 0.5, 0.5, 4), (0.5, 2.0 / 3.0, 4.0 / 7.0, 3), (0, 0, 0, 2), (0, 0, 0, 0)]
        for (row, e) in zip(r.classes, expected) {
            #expect(abs(row.precision - e.0) < 1e-12, "\(row.name) precision")
            #expect(abs(row.recall - e.1) < 1e-12, "\(row.name) recall")
            #expect(abs(row.f1 - e.2) < 1e-12, "\(row.name) f1")
            #expect(row.support == e.3, "\(row.name) support")
        }
        #expect(r.classes.map(\.name) == Self.names)
        #expect(r.undefinedPrecision == ["C"])
        #expect(r.undefinedRecall == ["D"])
    }

    @Test func macroAndWeightedAverages() {
        let r = ClassificationReport(matrix: Self.matrix, classNames: Self.names)
        // Macro: unweighted over all 4 classes (D included, as scikit-learn with labels=all).
        #expect(abs(r.macroAverage.precision - 0.25) < 1e-12)           // (0.5 + 0.5 + 0 + 0) / 4
        #expect(abs(r.macroAverage.recall - 7.0 / 24.0) < 1e-12)        // (1/2 + 2/3) / 4
        #expect(abs(r.macroAverage.f1 - 15.0 / 56.0) < 1e-12)           // (1/2 + 4/7) / 4
        // Weighted by support 4, 3, 2, 0 over 9.
        #expect(abs(r.weightedAverage.precision - 7.0 / 18.0) < 1e-12)  // (0.5·4 + 0.5·3) / 9
        #expect(abs(r.weightedAverage.recall - 4.0 / 9.0) < 1e-12)      // weighted recall = accuracy
        #expect(abs(r.weightedAverage.f1 - 26.0 / 63.0) < 1e-12)        // (0.5·4 + 4/7·3) / 9
        #expect(r.macroAverage.support == 9 && r.weightedAverage.support == 9)
        #expect(abs(r.accuracy - 4.0 / 9.0) < 1e-12)
    }

    @Test func zeroDivisionIsStatedInTheFootnoteAndText() {
        let r = ClassificationReport(matrix: Self.matrix, classNames: Self.names)
        #expect(r.zeroDivision == "zero_division=0")
        #expect(r.zeroDivisionNote.contains("never predicted (C)"))
        #expect(r.zeroDivisionNote.contains("without samples (D)"))
        #expect(r.zeroDivisionNote.contains("zero_division=0"))
        let text = r.text
        #expect(text.contains("note: "))
        // scikit-learn's layout: header, one line per class, accuracy, macro and weighted lines.
        #expect(text.contains("   precision    recall  f1-score   support"))
        #expect(text.contains("           B    0.5000    0.6667    0.5714         3"))
        #expect(text.contains("   macro avg    0.2500    0.2917    0.2679         9"))
    }

    @Test func perfectPredictionsNeedNoFootnote() {
        let m = ConfusionMatrix(classes: 3, trueLabels: [0, 1, 2, 2], predicted: [0, 1, 2, 2])
        let r = ClassificationReport(matrix: m, classNames: ["x", "y", "z"])
        #expect(r.classes.allSatisfy { $0.precision == 1 && $0.recall == 1 && $0.f1 == 1 })
        #expect(r.weightedAverage.f1 == 1 && r.accuracy == 1)
        #expect(r.zeroDivisionNote.isEmpty)
        #expect(!r.text.contains("note:"))
    }

    @Test func f1IsTheHarmonicMeanWhereDefined() {
        // Exhaustive over small 2-class matrices: 2TP/(2TP+FP+FN) == 2PR/(P+R) whenever P and R exist.
        for a in 0...3 { for b in 0...3 { for c in 0...3 { for d in 0...3 {
            var m = ConfusionMatrix(classes: 2)
            for _ in 0..<a { m.add(true: 0, predicted: 0) }
            for _ in 0..<b { m.add(true: 0, predicted: 1) }
            for _ in 0..<c { m.add(true: 1, predicted: 0) }
            for _ in 0..<d { m.add(true: 1, predicted: 1) }
            let r = ClassificationReport(matrix: m, classNames: ["n", "p"])
            for row in r.classes where row.precision + row.recall > 0 {
                let harmonic = 2 * row.precision * row.recall / (row.precision + row.recall)
                #expect(abs(row.f1 - harmonic) < 1e-12, "\(a) \(b) \(c) \(d) \(row.name)")
            }
        } } } }
    }

    @Test func confusionText() {
        let text = Self.matrix.text(classNames: Self.names)
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines[0] == ["true\\pred", "A", "B", "C", "D"])
        #expect(lines[1] == ["A", "2", "1", "0", "1"])
        #expect(lines[4] == ["D", "0", "0", "0", "0"])
    }
}
