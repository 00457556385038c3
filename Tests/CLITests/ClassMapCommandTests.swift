import DataPrep
import Foundation
import Testing
import TestSupport

/// `--map` / `--classes-from` on split, merge-cifar, train and evaluate, run as a user would.
@Suite struct ClassMapCommandTests {
    static let digitsBySize = "0,1,2,3,4=lt5;5,6,7,8,9=ge5"

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Fixtures/idx/mnist pools 30 images, 3 per digit: 15 per new class.
    @Test func splitWritesTheNewClassesAndKeepsTheOriginals() throws {
        let dir = try ScratchFolder.make("cli-map")
        defer { ScratchFolder.remove(dir) }
        let result = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--map", Self.digitsBySize, "--per-class", "10,5", "--seed", "2",
                                            "--out", dir + "/out", "--json", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try json(result.stdout)
        #expect(summary["classNames"] as? [String] == ["lt5", "ge5"])
        let splits = try #require(summary["splits"] as? [[String: Any]])
        #expect(splits.map { $0["histogram"] as? [Int] } == [[10, 10], [5, 5]])

        #expect(try String(contentsOfFile: dir + "/out/classes.txt", encoding: .utf8) == "lt5\nge5\n")
        let descriptor = try json(String(contentsOfFile: dir + "/out/dataset.json", encoding: .utf8))
        let map = try #require(descriptor["classMap"] as? [String: Any])
        #expect(map["from"] as? [String] == (0..<10).map(String.init) && map["to"] as? [String] == ["lt5", "ge5"])
        #expect(map["labels"] as? [Int] == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])

        let csv = try String(contentsOfFile: dir + "/out/manifest.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "split,index,source,label,class,sha256,original_label,original_class")
        #expect(csv.count == 31)
        var perDigit = [Int](repeating: 0, count: 10)
        for line in csv.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let original = try #require(Int(f[6]))
            #expect(f[7] == f[6])                                   // MNIST's class names are its digits
            #expect(f[3] == (original < 5 ? "0" : "1") && f[4] == (original < 5 ? "lt5" : "ge5"))
            perDigit[original] += 1
        }
        #expect(perDigit == [Int](repeating: 3, count: 10))
        let manifest = try json(String(contentsOfFile: dir + "/out/manifest.json", encoding: .utf8))
        let first = try #require((manifest["samples"] as? [[String: Any]])?.first)
        #expect(first["originalLabel"] is Int && first["originalClassName"] is String)

        // Read back, the folder is a 2-class dataset.
        let written = try #require(try SplitOutput(folder: dir + "/out"))
        #expect(written.descriptor.classNames == ["lt5", "ge5"] && written.descriptor.classMap?.classNames == ["lt5", "ge5"])
    }

    @Test func withoutAMapOutputsKeepTheirColumns() throws {
        let dir = try ScratchFolder.make("cli-map")
        defer { ScratchFolder.remove(dir) }
        let result = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "2,1", "--seed", "2", "--out", dir + "/out", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOfFile: dir + "/out/manifest.csv", encoding: .utf8)
        #expect(csv.hasPrefix("split,index,source,label,class,sha256\n"))
        #expect(try !String(contentsOfFile: dir + "/out/dataset.json", encoding: .utf8).contains("classMap"))
        #expect(try !String(contentsOfFile: dir + "/out/manifest.json", encoding: .utf8).contains("original"))
    }

    @Test func classesFromAFileCanDropClasses() throws {
        let dir = try ScratchFolder.make("cli-map")
        defer { ScratchFolder.remove(dir) }
        let file = dir + "/parity.txt"
        try FileIO.writeAtomically(Array("# even or odd, 8 and 9 left out\n0,2,4,6=even\n1,3,5,7=odd\n*=-   # the rest\n".utf8), to: file)
        let result = try CommandRunner.run(["split", "Fixtures/idx/mnist", "--classes-from", file, "--ratios", "0.5,0.5", "--seed", "1",
                                            "--out", dir + "/out", "--json", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try json(result.stdout)
        #expect(summary["classNames"] as? [String] == ["even", "odd"])
        let splits = try #require(summary["splits"] as? [[String: Any]])
        #expect(splits.map { $0["histogram"] as? [Int] } == [[6, 6], [6, 6]])   // 12 per class, halved
    }

    @Test func badMapsAreNamedErrors() throws {
        let dir = try ScratchFolder.make("cli-map")
        defer { ScratchFolder.remove(dir) }
        func split(_ extra: [String]) throws -> CommandResult {
            try CommandRunner.run(["split", "Fixtures/idx/mnist", "--per-class", "1", "--allow-short", "--out", dir + "/out", "--seed", "1"] + extra)
        }
        // The text alone is wrong: usage error before anything is read.
        let syntax = try split(["--map", "0,1"])
        #expect(syntax.status == 64 && syntax.stderr.contains("class map rule '0,1': expected KEYS=NAME (no '=')"), "\(syntax.stderr)")
        let both = try split(["--map", "0=a;*=b", "--classes-from", dir + "/none.txt"])
        #expect(both.status == 64 && both.stderr.contains("give --map or --classes-from, not both"))
        // Wrong for these classes: data error naming the classes.
        let unmapped = try split(["--map", "0,1,2,3,4=lt5"])
        #expect(unmapped.status == 1 && unmapped.stderr.contains("classes 5, 6, 7, 8, 9 are not mapped"), "\(unmapped.stderr)")
        let twice = try split(["--map", "0,1=a;1,2=b;*=c"])
        #expect(twice.status == 1 && twice.stderr.contains("class '1' is mapped twice, by '0,1=a' and by '1,2=b'"))
        let unknown = try split(["--map", "0-4=a;*=b"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no class '0-4' in the data"))
        let missing = try split(["--classes-from", dir + "/none.txt"])
        #expect(missing.status == 1 && missing.stderr.contains("none.txt"))
        #expect(!FileIO.exists(dir + "/out"))
    }

    @Test func mergeCIFARRelabelsTheMergedClasses() throws {
        let dir = try ScratchFolder.make("cli-map")
        defer { ScratchFolder.remove(dir) }
        // Fixture histograms (MergeCIFARCommandTests): train 2 for labels 0-4, 1 for 5-14; test 1 each.
        let result = try CommandRunner.run(["merge-cifar", "--cifar10", "Fixtures/cifar/cifar-10-binary.tar.gz",
                                            "--cifar100", "Fixtures/cifar/cifar-100-binary", "--superclass", "13",
                                            "--map", "airplane,automobile,8,9=vehicle;crab,11=crustacean;*=-",
                                            "--seed", "3", "--out", dir + "/merged", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try json(result.stdout)
        #expect(summary["classNames"] as? [String] == ["vehicle", "crustacean"])
        let splits = try #require(summary["splits"] as? [[String: Any]])
        #expect(splits.map { $0["histogram"] as? [Int] } == [[6, 2], [4, 2]])
        let csv = try String(contentsOfFile: dir + "/merged/manifest.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[0].hasSuffix(",original_label,original_class") && csv.count == 15)
        let originals = Set(csv.dropFirst().map { $0.split(separator: ",").suffix(2).joined(separator: " ") })
        #expect(originals == ["0 airplane", "1 automobile", "8 ship", "9 truck", "10 crab", "11 lobster"])
        let bad = try CommandRunner.run(["merge-cifar", "--cifar10", "Fixtures/cifar/cifar-10-binary.tar.gz",
                                         "--cifar100", "Fixtures/cifar/cifar-100-binary", "--superclass", "13",
                                         "--map", "crab=x", "--out", dir + "/bad"])
        #expect(bad.status == 64 && bad.stderr.contains("are not mapped"), "\(bad.stderr)")
    }

    @Test func trainAndEvaluateOnRelabelledData() throws {
        let run = NSTemporaryDirectory() + "dataprep-map-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: run) }
        let trained = try CommandRunner.run(["train", "Fixtures/idx/mnist", "--map", Self.digitsBySize,
                                             "--model", "conv 4 3 same relu, maxpool 2, flatten, dense 2 softmax", "--epochs", "1",
                                             "--batch-size", "4", "--seed", "3", "--threads", "1", "--out", run, "--no-progress"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let info = try json(String(contentsOfFile: run + "/best/checkpoint.json", encoding: .utf8))
        #expect(info["classNames"] as? [String] == ["lt5", "ge5"])

        let evaluated = try CommandRunner.run(["evaluate", run, "Fixtures/idx/mnist", "--map", Self.digitsBySize, "--json", "--no-progress"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let metrics = try json(evaluated.stdout)
        #expect(metrics["samples"] as? Int == 10)
        let matrix = try #require(metrics["confusionMatrix"] as? [[Int]])
        #expect(matrix.map { $0.reduce(0, +) } == [5, 5])   // test split: one image per digit

        // Without the map the data's classes are digits the model does not know.
        let unmapped = try CommandRunner.run(["evaluate", run, "Fixtures/idx/mnist", "--no-progress"])
        #expect(unmapped.status == 1, "\(unmapped.stderr)")
    }
}
