import DataPrep
import Foundation
import Testing
import TestSupport

/// The same command and seed give byte-identical outputs: twice with `--threads 1`, and once
/// with `--threads 2`. Each run happens in its own folder with the same relative `--out`, so the
/// command line recorded in `dataset.json` / `manifest.json` is the same too (`--threads` is
/// left out of it). Split, merge-cifar and augment preview compare every file (hidden ones
/// included); training compares every file except the wall times (`Robustness.timingKeys` in
/// the JSON, the last two columns of `history.csv`, and `report.html`, which prints them).
@Suite(.serialized) struct DeterminismTests {
    static let repo = TestPaths.repositoryRoot

    /// Runs `arguments + ["--threads", N]` in three fresh folders (1, 1, 2 threads) and returns
    /// `digest(folder)` of each.
    func threeRuns(_ arguments: [String], digest: (String) throws -> [String: String]) throws -> [[String: String]] {
        try [1, 1, 2].map { threads in
            let dir = try ScratchFolder.make("determinism")
            defer { ScratchFolder.remove(dir) }
            let result = try Robustness.run(arguments + ["--threads", "\(threads)"], in: dir)
            #expect(result.status == 0, "\(threads) thread(s): \(result.stderr)")
            return try digest(dir)
        }
    }

    func expectIdentical(_ runs: [[String: String]], atLeast files: Int) {
        #expect(runs[0].count >= files, "only \(runs[0].count) files: \(runs[0].keys.sorted())")
        #expect(runs[0] == runs[1], "two runs with 1 thread differ: \(differing(runs[0], runs[1]))")
        #expect(runs[0] == runs[2], "1 and 2 threads differ: \(differing(runs[0], runs[2]))")
    }

    func differing(_ a: [String: String], _ b: [String: String]) -> [String] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }

    @Test func splitIsByteIdentical() throws {
        let source = try Robustness.pngFolder(count: 60)
        defer { ScratchFolder.remove(source) }
        let runs = try threeRuns(["split", source, "--ratios", "0.6,0.2,0.2", "--resize", "12x12", "--format", "png,idx,cifar,wds,npy-float32", "--normalize", "standard",
                                  "--seed", "11", "--no-progress", "--out", "out"]) { try ScratchFolder.digests($0 + "/out") }
        expectIdentical(runs, atLeast: 60 + 10)
    }

    @Test func mergeCIFARIsByteIdentical() throws {
        let runs = try threeRuns(["merge-cifar", "--cifar10", Self.repo + "/Fixtures/cifar/cifar-10-batches-bin",
                                  "--cifar100", Self.repo + "/Fixtures/cifar/cifar-100-binary", "--superclass", "13",
                                  "--balance", "oversample", "--format", "png,idx,cifar,wds,npy-float32", "--seed", "12", "--no-progress",
                                  "--out", "out"]) { try ScratchFolder.digests($0 + "/out") }
        expectIdentical(runs, atLeast: 10)
    }

    @Test func augmentPreviewIsByteIdentical() throws {
        let runs = try threeRuns(["augment", "preview", Self.repo + "/Fixtures/idx/mnist", "--samples", "4", "--variants", "5",
                                  "--seed", "13", "--rotation-range", "30", "--zoom-range", "0.2", "--horizontal-flip",
                                  "--out", "grid.png"]) { try ScratchFolder.digests($0) }
        expectIdentical(runs, atLeast: 2)
    }

    /// Dropout and batchnorm make the thread count matter if any reduction were split by thread.
    @Test func shortTrainingRunIsByteIdentical() throws {
        let runs = try threeRuns(["train", Self.repo + "/Fixtures/idx/mnist", "--model",
                                  "conv 4 3 same relu, batchnorm, maxpool 2, dropout 0.25, flatten, dense 10 softmax",
                                  "--epochs", "3", "--batch-size", "4", "--seed", "14", "--no-progress", "--rotation-range", "10",
                                  "--out", "run"]) { try Robustness.comparableTree($0 + "/run") }
        expectIdentical(runs, atLeast: 10)
        #expect(runs[0]["last/model.safetensors"] != nil && runs[0]["history.csv"] != nil)
    }
}
