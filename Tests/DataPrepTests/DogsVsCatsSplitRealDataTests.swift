import Testing
import TestSupport
@testable import DataPrep

/// The users' lab recipe on the real Kaggle photos in `../shared/data/dogs-vs-cats/train`
/// (880 cats + 880 dogs, see `DogsVsCatsRealDataTests`); skipped with a printed reason when absent.
@Suite struct DogsVsCatsSplitRealDataTests {
    @Test func perClass600x140x140At80x80GrayIsExactAndReproducible() throws {
        guard let source = TestPaths.sharedData("dogs-vs-cats/train") else { return }
        let job = SplitJob(source: source, spec: try SplitSpec(sizes: .perClass([600, 140, 140])), seed: 2024,
                           load: .init(size: (80, 80), color: .gray, threads: Parallel.defaultThreads), command: "test")
        func run() throws -> (SplitJob.Result, [String: String]) {
            let result = try job.prepare()
            let folder = try ScratchFolder.make("dogs-split")
            defer { ScratchFolder.remove(folder) }
            try DatasetWriter(threads: Parallel.defaultThreads).write(result.prepared, into: folder)
            return (result, try ScratchFolder.digests(folder))
        }
        let (result, digests) = try run()
        let prepared = result.prepared
        // 2 classes × (600, 140, 140).
        #expect(prepared.classNames == ["cat", "dog"])
        #expect(prepared.splits.map(\.name) == ["train", "val", "test"])
        #expect(prepared.splits.map(\.data.count) == [1200, 280, 280])
        #expect(prepared.splits.map(\.data.classHistogram) == [[600, 600], [140, 140], [140, 140]])
        #expect(prepared.splits.allSatisfy { $0.data.height == 80 && $0.data.width == 80 && $0.data.channels == 1 })
        #expect(result.report.skipped.isEmpty && result.report.shortClasses.isEmpty)
        // No source used twice, and labels follow the Kaggle file names.
        #expect(Set(prepared.manifest.map(\.source)).count == 1760)
        #expect(prepared.manifest.allSatisfy { lastPathComponent($0.source).hasPrefix($0.className + ".") })
        #expect(digests.count == 3 * 2 + 4)
        // Same seed, a fresh decode: the same bytes in every file.
        #expect(try run().1 == digests)
    }
}
