import Testing
import TestSupport
@testable import DataPrep

/// The 1760 real Kaggle photos in `../shared/data/dogs-vs-cats` (skipped with a printed reason
/// when absent). Size range from `../shared/peers/RESULTS.md` §2: min 148x240, max 480x320 (WxH).
@Suite struct DogsVsCatsRealDataTests {
    @Test func labelsSizesAndADeterministicLoad() throws {
        guard let root = TestPaths.sharedData("dogs-vs-cats") else { return }
        let collection = try ImageCollection(folder: root)
        #expect(collection.layout == .kaggleSplits)
        #expect(collection.classNames == ["cat", "dog"])
        let items = try #require(collection.splits.first { $0.name == "train" }).items
        #expect(items.count == 1760)
        #expect(items.filter { $0.label == 0 }.count == 880 && items.filter { $0.label == 1 }.count == 880)

        let report = try DatasetInspector(threads: 2).inspect(root)
        let sizes = try #require(report.splits[0].sizes)
        #expect(report.skipped.isEmpty)
        #expect(sizes.minWidth == 148 && sizes.maxWidth == 480 && sizes.maxHeight == 320)
        #expect(sizes.colorCount == 1760)

        let one = try collection.load(.init(width: 80, height: 80, color: .gray, threads: 1))
        let two = try collection.load(.init(width: 80, height: 80, color: .gray, threads: 2))
        #expect(one.skipped.isEmpty)
        #expect(one.data["train"]?.count == 1760)
        #expect(one.data == two.data)   // byte-identical whatever the thread count
    }
}
