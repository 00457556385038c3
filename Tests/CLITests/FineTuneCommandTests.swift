import DataPrep
import Foundation
import Testing
import TestSupport

/// `dataprep fine-tune` run as a user would: the CIFAR workflow end to end on the fixtures
/// (train on CIFAR-10, merge a CIFAR-100 superclass, fine-tune with `--freeze 5`, evaluate on
/// 15 classes), with the saved tensors read back from the safetensors files.
@Suite(.serialized) struct FineTuneCommandTests {
    /// Keras names: conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, dropout, flatten, dense.
    /// `--freeze 5` freezes the two convolutions (3*3*3*4+4 = 112 and 3*3*4*4+4 = 148 weights);
    /// the head grows from 8*8*4*10+10 = 2570 to 8*8*4*15+15 = 3855 weights.
    static let spec = "conv 4 3 same relu, maxpool 2, conv 4 3 same relu, maxpool 2, dropout 0.25, flatten, dense 10 softmax"
    static let superclass = ["crab", "lobster", "snail", "spider", "worm"]

    /// A folder holding a CIFAR-10 run (`run10`) and the merged 15-class data (`cifar15`).
    static func prepare(_ dir: String) throws {
        let train = try CommandRunner.run(["train", "Fixtures/cifar/cifar-10-binary.tar.gz", "--model", spec, "--epochs", "1",
                                           "--batch-size", "8", "--seed", "1", "--threads", "1", "--out", dir + "/run10"])
        #expect(train.status == 0, "\(train.stderr)")
        let merge = try CommandRunner.run(["merge-cifar", "--cifar10", "Fixtures/cifar/cifar-10-binary.tar.gz",
                                           "--cifar100", "Fixtures/cifar/cifar-100-binary.tar.gz", "--superclass", "non-insect_invertebrates",
                                           "--seed", "3", "--out", dir + "/cifar15"])
        #expect(merge.status == 0, "\(merge.stderr)")
    }

    @Test func cifarWorkflowTrainMergeFineTuneEvaluate() throws {
        let dir = try ScratchFolder.make("fine-tune")
        defer { ScratchFolder.remove(dir) }
        try Self.prepare(dir)
        let tune = try CommandRunner.run(["fine-tune", dir + "/run10", dir + "/cifar15", "--freeze", "5", "--epochs", "2",
                                          "--batch-size", "8", "--seed", "2", "--threads", "2", "--out", dir + "/run15", "--json"])
        #expect(tune.status == 0, "\(tune.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(tune.stdout.utf8)) as? [String: Any])
        #expect(json["classNames"] as? [String] == CIFARClassNames.cifar10 + Self.superclass)
        #expect(json["trainableParameters"] as? Int == 3855 && json["nonTrainableParameters"] as? Int == 260)
        let training = try #require(json["training"] as? [String: Any])
        #expect(training["stopReason"] as? String == "completed" && (training["history"] as? [Any])?.count == 2)
        let record = try #require(json["fineTune"] as? [String: Any])
        #expect(record["source"] as? String == dir + "/run10/best")
        #expect(record["addedClasses"] as? [String] == Self.superclass)
        #expect((record["frozenLayers"] as? [[String: Any]])?.map { $0["name"] as? String }
                == ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "dropout"])
        #expect(record["headUnits"] as? [Int] == [10, 15])
        // The Keras-style summary comes first (on stderr with --json).
        #expect(tune.stderr.contains("Trainable params: 3,855") && tune.stderr.contains("Non-trainable params: 260"))
        #expect(tune.stderr.contains(" conv2d_1 (Conv2D)") && tune.stderr.contains("(frozen)"))
        for file in ["fine-tune.json", "last/model.safetensors", "best/checkpoint.json", "history.csv", "curves.png", "curves.svg", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/run15/" + file), "\(file)")
        }

        // Frozen tensors in the saved checkpoints are the source checkpoint's, bit for bit.
        let source = try SafeTensorsFile(path: dir + "/run10/best/model.safetensors")
        for checkpoint in ["last", "best"] {
            let tuned = try SafeTensorsFile(path: dir + "/run15/\(checkpoint)/model.safetensors")
            for name in ["layers.0.conv.kernel", "layers.0.conv.bias", "layers.2.conv.kernel", "layers.2.conv.bias"] {
                let (a, b) = (try #require(source.tensors[name]), try #require(tuned.tensors[name]))
                #expect(a.shape == b.shape && a.bytes == b.bytes, "\(checkpoint) \(name)")
            }
            let head = try #require(tuned.tensors["layers.6.dense.kernel"])
            #expect(head.shape == [256, 15] && source.tensors["layers.6.dense.kernel"]?.shape == [256, 10])
            #expect(tuned.tensors["layers.6.dense.bias"]?.shape == [15])
            #expect(head.bytes != source.tensors["layers.6.dense.kernel"]?.bytes)
        }

        // The fine-tuned checkpoint evaluates on all 15 classes.
        let evaluate = try CommandRunner.run(["evaluate", dir + "/run15", dir + "/cifar15", "--json"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let metrics = try #require(JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        #expect(metrics["classNames"] as? [String] == CIFARClassNames.cifar10 + Self.superclass)
        #expect(metrics["samples"] as? Int == 15)
        let report = try #require(metrics["report"] as? [String: Any])
        #expect((report["classes"] as? [[String: Any]])?.map { $0["support"] as? Int } == [Int](repeating: 1, count: 15))
        #expect((metrics["confusionMatrix"] as? [[Int]])?.count == 15)

        // Resuming continues the fine-tune run with its own head and frozen layers.
        let resumed = try CommandRunner.run(["train", dir + "/cifar15", "--resume", dir + "/run15", "--epochs", "3", "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try SafeTensorsFile(path: dir + "/run15/last/model.safetensors")
        #expect(after.tensors["layers.2.conv.kernel"]?.bytes == source.tensors["layers.2.conv.kernel"]?.bytes)
        #expect(after.tensors["layers.6.dense.kernel"]?.shape == [256, 15])
    }

    @Test func badFreezeAndMismatchedClassesAreReported() throws {
        let dir = try ScratchFolder.make("fine-tune")
        defer { ScratchFolder.remove(dir) }
        try Self.prepare(dir)
        let unknown = try CommandRunner.run(["fine-tune", dir + "/run10", dir + "/cifar15", "--freeze", "conv2d,conv1", "--out", dir + "/x"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no layer named \"conv1\"; the model's layers are: conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, dropout, flatten, dense"),
                "\(unknown.stderr)")
        let tooMany = try CommandRunner.run(["fine-tune", dir + "/run10", dir + "/cifar15", "--freeze", "8", "--out", dir + "/x"])
        #expect(tooMany.status == 64)
        #expect(tooMany.stderr.contains("--freeze 8: the model has only 7 layers"), "\(tooMany.stderr)")
        let negative = try CommandRunner.run(["fine-tune", dir + "/run10", dir + "/cifar15", "--freeze=-2", "--out", dir + "/x"])
        #expect(negative.status == 64)
        let allFrozen = try CommandRunner.run(["fine-tune", dir + "/run10", dir + "/cifar15", "--freeze", "7", "--out", dir + "/x"])
        #expect(allFrozen.status == 1)
        #expect(allFrozen.stderr.contains("extended to 15 classes and must train"), "\(allFrozen.stderr)")
        // MNIST's classes are "0"…"9", not CIFAR-10's: the first mismatch is named.
        let mnist = try CommandRunner.run(["fine-tune", dir + "/run10", "Fixtures/idx/mnist", "--out", dir + "/x"])
        #expect(mnist.status == 1)
        #expect(mnist.stderr.contains("class 0 of the data is \"0\", the checkpoint's class 0 is \"airplane\""), "\(mnist.stderr)")
        let missing = try CommandRunner.run(["fine-tune", dir + "/nowhere", dir + "/cifar15", "--out", dir + "/x"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("not a checkpoint"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x/last"))
    }

    @Test func helpExplainsFreezingAndTheHead() throws {
        let help = try CommandRunner.run(["fine-tune", "--help"])
        #expect(help.status == 0)
        for text in ["--freeze", "--reinit-head", "model.layers[:N]", "--epochs", "--resume", "--rotation-range"] {
            #expect(help.stdout.contains(text), "\(text)")
        }
    }
}

/// A safetensors file read by hand (8-byte little-endian header length, JSON header, data), so
/// the check does not rely on the code under test.
struct SafeTensorsFile {
    struct Entry { var shape: [Int]; var bytes: [UInt8] }
    var tensors: [String: Entry] = [:]

    init(path: String) throws {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let length = data[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try #require(JSONSerialization.jsonObject(with: Data(data[8..<(8 + length)])) as? [String: Any])
        for (name, value) in header where name != "__metadata__" {
            let entry = try #require(value as? [String: Any])
            let offsets = try #require(entry["data_offsets"] as? [Int])
            tensors[name] = Entry(shape: try #require(entry["shape"] as? [Int]),
                                  bytes: Array(data[(8 + length + offsets[0])..<(8 + length + offsets[1])]))
        }
    }
}
