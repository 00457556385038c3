import DataPrep
import Testing
import TestSupport

/// `Fixtures/shapes/` (the demo's learnable dataset, `ShapesFixtures` in make-fixtures): the
/// counts, the label formula and the drawing rules restated from `Fixtures/README.md`.
@Suite struct ShapesFixtureTests {
    /// Image i's label: `(i + (i / 10) * 3) % 10`.
    static func labels(count: Int) -> [Int32] {
        (0..<count).map { (i: Int) -> Int32 in Int32((i + i / 10 * 3) % 10) }
    }

    @Test func decodesAsABalancedMNISTFolder() throws {
        let data = try #require(MNISTFolder(path: TestPaths.fixture("shapes"))).load()
        let train = try #require(data["train"]), test = try #require(data["test"])
        #expect(train.count == 800 && test.count == 200)
        #expect(train.height == 28 && train.width == 28 && train.channels == 1)
        #expect(train.labels == Self.labels(count: 800))
        #expect(test.labels == Self.labels(count: 200))
        #expect(train.classHistogram == [Int](repeating: 80, count: 10))
        #expect(test.classHistogram == [Int](repeating: 20, count: 10))
    }

    /// Every image has one shape of a single brightness 150...255 (speckles are at most 127),
    /// and a shape's area grows with its kind: bars and dots are small, discs and squares large.
    @Test func eachImageHoldsOneShapeOfOneBrightness() throws {
        let data = try #require(MNISTFolder(path: TestPaths.fixture("shapes"))).load()
        let train = try #require(data["train"])
        var meanArea = [Double](repeating: 0, count: 10)
        for i in 0..<train.count {
            let pixels = train.pixels[(i * 784)..<((i + 1) * 784)]
            let bright = pixels.filter { $0 >= 150 }
            #expect(bright.count >= 15, "image \(i) has only \(bright.count) shape pixels")
            #expect(Set(bright).count == 1, "image \(i) mixes brightnesses \(Set(bright).sorted())")
            let speckleOrShape = pixels.allSatisfy { (p: UInt8) -> Bool in p >= 150 || p <= 127 }
            #expect(speckleOrShape, "image \(i) has a pixel between 128 and 149")
            meanArea[Int(train.labels[i])] += Double(bright.count) / 80
        }
        // disc (0) and square (2) are the largest, the bars (7, 8) and the two dots (9, about 2 x 21 pixels) the smallest.
        #expect(meanArea[0] > 100 && meanArea[2] > 100)
        #expect(meanArea[7] < 60 && meanArea[8] < 60 && meanArea[9] < 50)
    }
}
