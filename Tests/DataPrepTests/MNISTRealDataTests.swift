import Testing
import TestSupport
@testable import DataPrep

/// The real MNIST files in `../shared/data/mnist` (skipped with a printed reason when absent).
@Suite struct MNISTRealDataTests {
    @Test func countsPerClassAndFirstLabels() throws {
        guard let path = TestPaths.sharedData("mnist") else { return }
        let data = try #require(MNISTFolder(path: path)).load()
        let train = try #require(data["train"]), test = try #require(data["test"])
        #expect(train.count == 60000 && test.count == 10000)
        #expect(train.height == 28 && train.width == 28 && train.channels == 1)
        // Published per-class counts of the MNIST training set.
        #expect(train.classHistogram == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(test.classHistogram == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(Array(train.labels.prefix(5)) == [5, 0, 4, 1, 9])
        // The first image's border is blank and its centre is inked.
        #expect(train.pixels[0] == 0 && train.pixels.prefix(784).max() == 255)
    }
}
