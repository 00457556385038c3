import DataPrep
import Foundation
import Testing
@testable import Train

/// `Predictions.run` on hand-built networks whose outputs are known in closed form, plus the
/// pieces `evaluate` builds around it (class alignment, checkpoint location, CSV).
@Suite struct EvaluationPredictionsTests {
    /// `flatten, dense 3 softmax` on 1x2x1 inputs with kernel [[4,0,0],[0,4,0]] and bias
    /// [0,0,1]: logits (4·x0, 4·x1, 1) for pixels scaled by 1/255.
    static func softmaxNetwork() throws -> Network {
        let network = try Network(spec: ModelSpec(parsing: "flatten, dense 3 softmax"),
                                  input: TensorShape(height: 1, width: 2, channels: 1), seed: 1)
        network.setValues("layers.1.dense.kernel", [4, 0, 0, 0, 4, 0])
        network.setValues("layers.1.dense.bias", [0, 0, 1])
        return network
    }

    /// Samples (255,0), (0,255), (0,0), (255,255) labelled 0, 1, 0, 1.
    static let dataset = ImageDataset(height: 1, width: 2, channels: 1, pixels: [255, 0, 0, 255, 0, 0, 255, 255],
                                      labels: [0, 1, 0, 1], classNames: ["a", "b", "c"])

    /// Softmax in Double: the oracle.
    static func softmax(_ z: [Double]) -> [Double] {
        let m = z.max()!, e = z.map { Foundation.exp($0 - m) }, s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    @Test func softmaxPredictionsProbabilitiesAndLoss() throws {
        let network = try Self.softmaxNetwork()
        var source = ArrayBatchSource(dataset: Self.dataset)
        let p = try Predictions.run(network: network, loss: .sparseCategoricalCrossEntropy, source: &source, batchSize: 3)
        // Logits by hand: (4,0,1) → a; (0,4,1) → b; (0,0,1) → c; (4,4,1) → tie a/b → lowest index a.
        #expect(p.predicted == [0, 1, 2, 0])
        #expect(p.labels == [0, 1, 0, 1])
        #expect(p.classes == 3 && p.count == 4)
        let logits: [[Double]] = [[4, 0, 1], [0, 4, 1], [0, 0, 1], [4, 4, 1]]
        var loss = 0.0
        for (i, z) in logits.enumerated() {
            let expected = Self.softmax(z)
            for (got, want) in zip(p.probabilities(of: i), expected) { #expect(abs(Double(got) - want) < 1e-6, "sample \(i)") }
            loss -= Foundation.log(expected[p.labels[i]])
        }
        #expect(abs(p.loss - loss / 4) < 1e-5)
        #expect(p.accuracy == 0.5)
        #expect(p.confusionMatrix.row(0) == [1, 0, 1] && p.confusionMatrix.row(1) == [1, 1, 0])
    }

    @Test func batchSizeDoesNotChangeAnything() throws {
        let network = try Self.softmaxNetwork()
        var results: [Predictions] = []
        for batchSize in [1, 3, 64] {
            var source = ArrayBatchSource(dataset: Self.dataset)
            results.append(try Predictions.run(network: network, loss: .sparseCategoricalCrossEntropy, source: &source, batchSize: batchSize))
        }
        for r in results.dropFirst() {
            #expect(r.predicted == results[0].predicted && r.labels == results[0].labels)
            #expect(zip(r.probabilities, results[0].probabilities).allSatisfy { abs($0 - $1) < 1e-7 })
        }
    }

    @Test func predictionsFollowSampleIndicesNotBatchOrder() throws {
        // A shuffled source visits samples out of order; rows must still land at their index.
        let network = try Self.softmaxNetwork()
        var shuffled = ArrayBatchSource(dataset: Self.dataset, shuffleSeed: 7)
        #expect(shuffled.order(epoch: 0) != [0, 1, 2, 3])
        let p = try Predictions.run(network: network, loss: .sparseCategoricalCrossEntropy, source: &shuffled, batchSize: 2)
        #expect(p.predicted == [0, 1, 2, 0] && p.labels == [0, 1, 0, 1])
    }

    @Test func singleSigmoidGivesTwoProbabilityColumns() throws {
        // dense 1 sigmoid with zero kernel and bias ln 3: p = 3/4 for every sample.
        let network = try Network(spec: ModelSpec(parsing: "flatten, dense 1 sigmoid"),
                                  input: TensorShape(height: 1, width: 2, channels: 1), seed: 1)
        network.setValues("layers.1.dense.kernel", [0, 0])
        network.setValues("layers.1.dense.bias", [Float(Foundation.log(3.0))])
        let data = ImageDataset(height: 1, width: 2, channels: 1, pixels: [1, 2, 3, 4], labels: [0, 1], classNames: ["cat", "dog"])
        var source = ArrayBatchSource(dataset: data)
        let p = try Predictions.run(network: network, loss: .binaryCrossEntropy, source: &source, batchSize: 8)
        #expect(p.classes == 2)
        #expect(p.predicted == [1, 1])
        #expect(abs(p.probabilities[0] - 0.25) < 1e-6 && abs(p.probabilities[1] - 0.75) < 1e-6)
        // BCE: (−ln(1/4) − ln(3/4)) / 2.
        #expect(abs(p.loss - (Foundation.log(4.0) - Foundation.log(0.75)) / 2) < 1e-5)
    }

    @Test func classesAreAlignedByName() throws {
        let data = ImageDataset(height: 1, width: 1, channels: 1, pixels: [0, 1, 2], labels: [0, 1, 1], classNames: ["cat", "dog"])
        let aligned = try ClassAlignment.align(data, to: ["bird", "cat", "dog"])
        #expect(aligned.labels == [1, 2, 2])
        #expect(aligned.classNames == ["bird", "cat", "dog"])
        #expect(try ClassAlignment.align(data, to: ["cat", "dog"]) == data)
        #expect(throws: TrainError.self) { try ClassAlignment.align(data, to: ["cat", "horse"]) }
        do {
            _ = try ClassAlignment.align(data, to: ["cat", "horse"])
        } catch let TrainError.incompatibleData(reason) {
            #expect(reason.contains("dog"))
        }
    }

    @Test func csvQuotesFieldsAndNamesClasses() {
        let p = Predictions(classes: 2, labels: [0, 1], predicted: [1, 1], probabilities: [0.25, 0.75, 0, 1], loss: 0)
        let csv = p.csv(sources: ["a,b.png", "say \"hi\".png"], classNames: ["cat", "dog"])
        #expect(csv == """
        index,source,true,predicted,p_cat,p_dog
        0,"a,b.png",cat,dog,0.25,0.75
        1,"say ""hi"".png",dog,dog,0.0,1.0

        """)
        #expect(p.csv(sources: [], classNames: ["cat", "dog"]).contains("\n0,,cat,dog,"))
    }

    @Test func checkpointLocationResolvesRunAndCheckpointFolders() throws {
        let root = NSTemporaryDirectory() + "dataprep-eval-loc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for folder in ["best", "last"] {
            try FileIO.makeDirectories(root + "/" + folder)
            try FileIO.writeAtomically(Array("{}".utf8), to: root + "/\(folder)/checkpoint.json")
        }
        let run = try CheckpointLocation(resolving: root + "/")
        #expect(run.directory == root + "/best" && run.run == root)
        // Named after the data (archive extensions dropped) and the split.
        #expect(run.evaluationDirectory(data: "Fixtures/idx/mnist/", split: "test") == root + "/eval-mnist-test")
        #expect(run.evaluationDirectory(data: "cifar-10-binary.tar.gz", split: "all") == root + "/eval-cifar-10-binary-all")
        let last = try CheckpointLocation(resolving: root + "/last")
        #expect(last.directory == root + "/last" && last.run == root)
        #expect(last.evaluationDirectory(data: "my photos", split: "val") == root + "/eval-last-my_photos-val")
        #expect(throws: TrainError.self) { try CheckpointLocation(resolving: root + "/missing") }
    }
}
