import DataPrep
import Foundation
import Testing
import TestSupport

/// `dataprep explain` on a tiny run trained on the MNIST fixture, as a user would run it.
@Suite struct ExplainCommandTests {
    static let spec = "conv 4 3 same relu, maxpool 2, flatten, dense 10 softmax"

    func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "dataprep-explain-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    func train(_ run: String) throws {
        let result = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--model", Self.spec, "--epochs", "2", "--batch-size", "4",
                                            "--seed", "3", "--threads", "1", "--out", run, "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func lines(_ path: String) throws -> [Substring] { try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") }

    @Test func explainsADatasetSampleAndAgreesWithEvaluate() throws {
        let run = temporary("run")
        defer { try? FileManager.default.removeItem(atPath: run) }
        try train(run)
        let out = run + "/explain"
        let result = try CommandRunner.run(["explain", run, "Fixtures/idx/mnist", "--out", out, "--index", "3", "--samples", "1",
                                            "--threads", "1", "--json", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try object(result.stdout)
        #expect(summary["source"] as? String == "t10k-images-idx3-ubyte#3")
        #expect(summary["split"] as? String == "test" && summary["index"] as? Int == 3)
        let probabilities = try #require(summary["probabilities"] as? [Double])
        #expect(probabilities.count == 10 && abs(probabilities.reduce(0, +) - 1) < 1e-5)
        let predicted = try #require(summary["predictedIndex"] as? Int)
        #expect(probabilities[predicted] == probabilities.max())
        #expect(summary["explainedIndex"] as? Int == predicted)

        // Oracle: evaluate's predictions CSV row for sample 3 (same checkpoint, same normalisation).
        let evaluation = try CommandRunner.run(["evaluate", run, "Fixtures/idx/mnist", "--out", run + "/eval", "--no-progress"])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let row = try lines(run + "/eval/predictions.csv")[4].split(separator: ",")
        #expect(String(row[2]) == summary["trueClass"] as? String)
        #expect(String(row[3]) == summary["predictedClass"] as? String)
        let evaluated = row.dropFirst(4).compactMap { Double($0) }
        #expect(zip(evaluated, probabilities).allSatisfy { abs($0 - $1) < 1e-6 })

        // The files, and explain.json equal to what was printed.
        let files = try #require(summary["files"] as? [String])
        #expect(files == ["occlusion.png", "occlusion.svg", "occlusion.csv", "activations-conv2d.png", "activations-conv2d.svg", "layer-stats.csv", "explain.json"])
        for file in files { #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)") }
        let saved = try object(String(contentsOfFile: out + "/explain.json", encoding: .utf8))
        #expect(NSDictionary(dictionary: saved).isEqual(to: summary))
        let picture = try PNG.decode(contentsOf: out + "/occlusion.png")
        #expect(picture.width == 3 * 8 + 2 * 252 && picture.channels == 3)
        let grid = try PNG.decode(contentsOf: out + "/activations-conv2d.png")
        #expect(grid.width > 2 * 56 && grid.height > 2 * 56)  // four 28x28 maps, doubled, in a 2x2 grid

        // occlusion.csv: 28 rows of 28 non-negative values whose maximum is the summary's.
        let heat = try lines(out + "/occlusion.csv").map { $0.split(separator: ",").map { Double($0)! } }
        #expect(heat.count == 28 && heat.allSatisfy { $0.count == 28 && $0.allSatisfy { $0 >= 0 } })
        let occlusion = try #require(summary["occlusion"] as? [String: Any])
        #expect(occlusion["positions"] as? Int == 26 * 26 && occlusion["patch"] as? Int == 3 && occlusion["fill"] as? Int == 0)
        let maximum = try #require(occlusion["maximum"] as? Double)
        #expect(abs(heat.flatMap { $0 }.max()! - maximum) < 1e-6 && maximum > 0)
        let at = try #require(occlusion["maximumAt"] as? [Int])
        #expect(abs(heat[at[0]][at[1]] - maximum) < 1e-6)

        // layer-stats.csv: 4 layers x 10 classes, one sample each (the fixture's test split has one per digit).
        let stats = try lines(out + "/layer-stats.csv")
        #expect(stats[0] == "layer,class,samples,mean,variance,zero_fraction")
        #expect(stats.count == 41)
        let rows = stats.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(Set(rows.map { $0[0] }) == ["conv2d", "max_pooling2d", "flatten", "dense"])
        #expect(rows.allSatisfy { $0[2] == "1" })
        // Flatten only reshapes: its rows equal max-pooling's. Softmax rows of 10 sum to 1: mean 0.1, no zeros.
        let pooled = rows.filter { $0[0] == "max_pooling2d" }, flat = rows.filter { $0[0] == "flatten" }
        #expect(pooled.map { $0.dropFirst() } == flat.map { $0.dropFirst() })
        #expect(rows.filter { $0[0] == "dense" }.allSatisfy { abs(Double($0[3])! - 0.1) < 1e-6 && $0[5] == "0.0" })
        let zeroFractions = rows.filter { $0[0] == "conv2d" }.map { Double($0[5])! }
        #expect(zeroFractions.allSatisfy { $0 > 0 && $0 < 1 })  // ReLU outputs: some exact zeros
        #expect((summary["statistics"] as? [[String: Any]])?.count == 40)
    }

    @Test func explainsASingleImageWithChosenLayersAndClass() throws {
        let run = temporary("run")
        defer { try? FileManager.default.removeItem(atPath: run) }
        try train(run)
        let out = run + "/single"
        let args = ["explain", run + "/best", "Fixtures/png/rgb8.png", "--out", out, "--layers", "conv2d,layers.3.dense",
                    "--class", "3", "--occlusion-patch", "5", "--occlusion-stride", "4", "--occlusion-fill", "255", "--no-progress"]
        let result = try CommandRunner.run(args + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("layer statistics need a dataset INPUT"))
        let summary = try object(result.stdout)
        #expect(summary["source"] as? String == "Fixtures/png/rgb8.png")
        #expect(summary["split"] == nil && summary["statistics"] == nil && summary["trueClass"] == nil)
        #expect(summary["explainedClass"] as? String == "3" && summary["explainedIndex"] as? Int == 3)
        let occlusion = try #require(summary["occlusion"] as? [String: Any])
        // Starts 0, 4, …, 20 and the flush 23 on each axis of 28.
        #expect(occlusion["positions"] as? Int == 7 * 7 && occlusion["fill"] as? Int == 255)
        let activations = try #require(summary["activations"] as? [[String: Any]])
        #expect(activations.map { $0["file"] as? String } == ["activations-conv2d.png", "activations-dense.png"])
        #expect(activations.map { $0["shape"] as? [Int] } == [[28, 28, 4], [10]])
        #expect(FileManager.default.fileExists(atPath: out + "/activations-dense.png"))
        #expect(!FileManager.default.fileExists(atPath: out + "/layer-stats.csv"))

        // Text mode, into the same --out: the earlier explain output is replaced.
        let text = try CommandRunner.run(args)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("sample Fixtures/png/rgb8.png: predicted \(summary["predictedClass"] as! String)"))
        #expect(text.stdout.contains("occlusion of class 3"))
    }

    @Test func aSingleJPEGIsPreparedExactlyAsItsCollectionSample() throws {
        // Train on photos (resized to 16x16 RGB), then explain test/cat/1.jpg alone and as sample 0
        // of the folder's test split: identical inputs must give identical probabilities.
        let run = temporary("photos")
        defer { try? FileManager.default.removeItem(atPath: run) }
        let trained = try CommandRunner.run(["train", "Fixtures/collections/splits", "--resize", "16x16", "--model",
                                             "conv 2 3 same relu, flatten, dense 2 softmax", "--epochs", "2", "--seed", "1",
                                             "--out", run, "--no-progress"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let photo = "Fixtures/collections/splits/test/cat/1.jpg"
        let alone = try CommandRunner.run(["explain", run, photo, "--out", run + "/alone", "--json", "--no-progress"])
        #expect(alone.status == 0, "\(alone.stderr)")
        let inFolder = try CommandRunner.run(["explain", run, "Fixtures/collections/splits", "--index", "0", "--out", run + "/folder",
                                              "--json", "--no-progress"])
        #expect(inFolder.status == 0, "\(inFolder.stderr)")
        let a = try object(alone.stdout), b = try object(inFolder.stdout)
        #expect(b["source"] as? String == photo && b["trueClass"] as? String == "cat")
        #expect(a["probabilities"] as? [Double] == b["probabilities"] as? [Double])
        #expect(try String(contentsOfFile: run + "/alone/occlusion.csv", encoding: .utf8)
                == String(contentsOfFile: run + "/folder/occlusion.csv", encoding: .utf8))
        // The folder's test split holds 1 cat and 2 dogs: statistics use all of them (default --samples 100).
        let rows = try #require(b["statistics"] as? [[String: Any]])
        #expect(rows.filter { $0["layer"] as? String == "conv2d" }.map { $0["samples"] as? Int } == [1, 2])
    }

    @Test func explainsARealPhotoWhenPresent() throws {
        guard let photos = TestPaths.sharedData("dogs-vs-cats/train") else { return }
        let photo = photos + "/cat.0.jpg"
        guard FileManager.default.fileExists(atPath: photo) else { print("skipping: \(photo) not found"); return }
        let run = temporary("real")
        defer { try? FileManager.default.removeItem(atPath: run) }
        let trained = try CommandRunner.run(["train", "Fixtures/collections/splits", "--resize", "32x32", "--model",
                                             "conv 2 3 same relu, maxpool 2, flatten, dense 2 softmax", "--epochs", "1", "--seed", "1",
                                             "--out", run, "--no-progress"])
        #expect(trained.status == 0, "\(trained.stderr)")
        // A full-size photo (JPEG DCT-scaled, then area-resized to 32x32), 4x4 patches every 2 pixels.
        let result = try CommandRunner.run(["explain", run, photo, "--out", run + "/explain", "--occlusion-patch", "4",
                                            "--occlusion-stride", "2", "--json", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let occlusion = try #require(try object(result.stdout)["occlusion"] as? [String: Any])
        #expect(occlusion["positions"] as? Int == 15 * 15)
        let picture = try PNG.decode(contentsOf: run + "/explain/occlusion.png")
        #expect(picture.width == 3 * 8 + 2 * 256)
    }

    @Test func errorsNameTheProblem() throws {
        #expect(try CommandRunner.run(["explain"]).status == 64)
        #expect(try CommandRunner.run(["explain", "/tmp", "Fixtures/idx/mnist"]).status == 64)  // --out is required
        #expect(try CommandRunner.run(["explain", "/tmp", "Fixtures/idx/mnist", "--out", "/tmp/x", "--occlusion-fill", "300"]).status == 64)
        #expect(try CommandRunner.run(["explain", "/tmp", "Fixtures/idx/mnist", "--out", "/tmp/x", "--occlusion-patch", "0"]).status == 64)
        let run = temporary("run")
        defer { try? FileManager.default.removeItem(atPath: run) }
        try train(run)
        let out = run + "/explain"

        let layer = try CommandRunner.run(["explain", run, "Fixtures/idx/mnist", "--out", out, "--layers", "conv9", "--no-progress"])
        #expect(layer.status == 1)
        #expect(layer.stderr.contains("unknown layer conv9; the model's layers are: conv2d (layers.0.conv), max_pooling2d (layers.1.maxpool), flatten (layers.2.flatten), dense (layers.3.dense)"))
        let index = try CommandRunner.run(["explain", run, "Fixtures/idx/mnist", "--out", out, "--index", "10", "--no-progress"])
        #expect(index.status == 1)
        #expect(index.stderr.contains("--index 10 is outside split test of Fixtures/idx/mnist (0..<10)"))
        let klass = try CommandRunner.run(["explain", run, "Fixtures/idx/mnist", "--out", out, "--class", "cat", "--no-progress"])
        #expect(klass.status == 1 && klass.stderr.contains("--class cat is neither a class name nor an index 0..<10"))
        let patch = try CommandRunner.run(["explain", run, "Fixtures/idx/mnist", "--out", out, "--occlusion-patch", "29", "--no-progress"])
        #expect(patch.status == 1 && patch.stderr.contains("occlusion patch 29 does not fit the model's 28x28 input"))
        let split = try CommandRunner.run(["explain", run, "Fixtures/idx/mnist", "--out", out, "--split", "val", "--no-progress"])
        #expect(split.status == 1 && split.stderr.contains("no split named val"))
        let corrupt = try CommandRunner.run(["explain", run, "Fixtures/png/truncated.png", "--out", out, "--no-progress"])
        #expect(corrupt.status == 1 && corrupt.stderr.contains("truncated.png"))
        #expect(!FileManager.default.fileExists(atPath: out))  // nothing written on failure

        // A folder that is not an explain output is never replaced.
        let foreign = run + "/foreign"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: foreign + "/notes.txt"))
        let refused = try CommandRunner.run(["explain", run, "Fixtures/idx/mnist", "--out", foreign, "--no-progress"])
        #expect(refused.status == 1 && refused.stderr.contains("refusing to replace it"))
        #expect(FileManager.default.fileExists(atPath: foreign + "/notes.txt"))
    }
}
