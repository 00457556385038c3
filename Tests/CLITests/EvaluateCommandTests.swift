import Foundation
import Testing
import TestSupport

/// `dataprep evaluate` on a tiny run trained on the MNIST fixture, as a user would run it.
@Suite struct EvaluateCommandTests {
    static let spec = "conv 4 3 same relu, maxpool 2, flatten, dense 10 softmax"

    func temporaryRun() -> String { NSTemporaryDirectory() + "dataprep-eval-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" }

    /// Trains 2 epochs validating on the fixture's test split (named explicitly, so the run's
    /// history holds the test-split numbers `evaluate` must reproduce; train warns about it).
    func train(_ run: String) throws {
        let result = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", Self.spec, "--epochs", "2", "--batch-size", "4",
                                            "--seed", "3", "--threads", "1", "--out", run, "--no-progress", "--val-split", "test"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("WARNING: validating on the test split"))
    }

    func json(_ path: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func trainWritesCurvesAndReport() throws {
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        try train(run)
        let png = try Data(contentsOf: URL(fileURLWithPath: run + "/curves.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let html = try String(contentsOfFile: run + "/report.html", encoding: .utf8)
        #expect(html.contains("<table id=\"history\">") && html.contains("<figure class=\"chart\" id=\"curves\"><svg "))
        #expect(html.contains(try String(contentsOfFile: run + "/curves.svg", encoding: .utf8)))
        #expect(html.contains(Self.spec))
    }

    @Test func evaluateAgreesWithTrainingsOwnValidation() throws {
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        try train(run)
        let result = try CommandRunner.run(["evaluate", run, "Fixtures/idx/mnist", "--json", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let metrics = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // Oracle: the training run validated the same checkpoint (best epoch) on the same test
        // split with the same normalization; its history holds that epoch's numbers.
        let history = try #require(try json(run + "/history.json") as? [[String: Any]])
        let info = try #require(try json(run + "/best/checkpoint.json") as? [String: Any])
        let bestEpoch = try #require((info["state"] as? [String: Any])?["bestEpoch"] as? Int)
        let record = history[bestEpoch - 1]
        let loss = try #require(metrics["loss"] as? Double), accuracy = try #require(metrics["accuracy"] as? Double)
        #expect(abs(loss - (record["validationLoss"] as! Double)) < 1e-5)
        #expect(accuracy == record["validationAccuracy"] as! Double)
        #expect(metrics["samples"] as? Int == 10)
        let matrix = try #require(metrics["confusionMatrix"] as? [[Int]])
        #expect(matrix.count == 10 && matrix.allSatisfy { $0.count == 10 })
        // The fixture's test split holds one image of each digit: every row sums to 1.
        #expect(matrix.map { $0.reduce(0, +) } == Array(repeating: 1, count: 10))
        #expect(Double((0..<10).map { matrix[$0][$0] }.reduce(0, +)) / 10 == accuracy)

        // Files land in RUN/eval-DATA-SPLIT by default.
        for file in ["predictions.csv", "metrics.json", "confusion.png", "confusion.svg", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: run + "/eval-mnist-test/" + file), "\(file)")
        }
        let csv = try String(contentsOfFile: run + "/eval-mnist-test/predictions.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 11)
        #expect(csv[0] == "index,source,true,predicted," + (0..<10).map { "p_\($0)" }.joined(separator: ","))
        #expect(csv[1].hasPrefix("0,t10k-images-idx3-ubyte#0,"))
        let probabilities = csv[1].split(separator: ",").dropFirst(4).compactMap { Double($0) }
        #expect(probabilities.count == 10 && abs(probabilities.reduce(0, +) - 1) < 1e-5)
        let saved = try #require(try json(run + "/eval-mnist-test/metrics.json") as? [String: Any])
        #expect(saved["accuracy"] as? Double == accuracy)
    }

    @Test func printsTheTablesAndHonoursOutAndBatchSize() throws {
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        try train(run)
        let a = try CommandRunner.run(["evaluate", run + "/last", "Fixtures/idx/mnist", "--out", run + "/mine", "--batch-size", "1"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("precision    recall  f1-score   support"))
        #expect(a.stdout.contains("weighted avg") && a.stdout.contains("confusion matrix (rows true, columns predicted):"))
        #expect(FileManager.default.fileExists(atPath: run + "/mine/report.html"))
        #expect(!FileManager.default.fileExists(atPath: run + "/eval-mnist-test"))
        // Another batch size, default folder for RUN/last: the same predictions.
        let b = try CommandRunner.run(["evaluate", run + "/last", "Fixtures/idx/mnist", "--batch-size", "7", "--json"])
        #expect(b.status == 0, "\(b.stderr)")
        func predicted(_ path: String) throws -> [Substring] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",")[3] }
        }
        #expect(try predicted(run + "/mine/predictions.csv") == predicted(run + "/eval-last-mnist-test/predictions.csv"))
    }

    @Test func photoFolderSplitWithAMissingClass() throws {
        // Fixtures/collections/splits: val holds one dog and no cat. The model's classes are
        // (cat, dog) from training; cat gets no support and, here, no prediction either.
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        let trained = try CommandRunner.run(["train", "Fixtures/collections/splits", "--resize", "16x16", "--model",
                                             "flatten, dense 8 relu, dense 2 softmax", "--epochs", "2", "--seed", "1",
                                             "--out", run, "--no-progress"])
        #expect(trained.status == 0, "\(trained.stderr)")
        // No --resize: photos are brought to the model's 16x16 input.
        let result = try CommandRunner.run(["evaluate", run, "Fixtures/collections/splits", "--split", "val", "--json", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let metrics = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(metrics["classNames"] as? [String] == ["cat", "dog"])
        let matrix = try #require(metrics["confusionMatrix"] as? [[Int]])
        #expect(matrix[0] == [0, 0] && matrix[1].reduce(0, +) == 1)
        let report = try #require(metrics["report"] as? [String: Any])
        #expect(report["undefinedRecall"] as? [String] == ["cat"])
        #expect(report["zeroDivision"] as? String == "zero_division=0")
        let csv = try String(contentsOfFile: run + "/eval-splits-val/predictions.csv", encoding: .utf8)
        #expect(csv.contains(",Fixtures/collections/splits/val/dog/1.jpg,dog,"))
    }

    @Test func usageAndDataErrors() throws {
        #expect(try CommandRunner.run(["evaluate"]).status == 64)
        #expect(try CommandRunner.run(["evaluate", "/tmp", "Fixtures/idx/mnist", "--batch-size", "0"]).status == 64)
        let missing = try CommandRunner.run(["evaluate", "/nonexistent/run", "Fixtures/idx/mnist"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("not a checkpoint"))
        let run = temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        try train(run)
        let split = try CommandRunner.run(["evaluate", run, "Fixtures/idx/mnist", "--split", "val"])
        #expect(split.status == 1)
        #expect(split.stderr.contains("no split named val") && split.stderr.contains("train, test"))
        let shape = try CommandRunner.run(["evaluate", run, "Fixtures/cifar/cifar-10-batches-bin"])
        #expect(shape.status == 1, "\(shape.stderr)")
        #expect(shape.stderr.contains("32x32x3") || shape.stderr.contains("does not know"), "\(shape.stderr)")
    }
}
