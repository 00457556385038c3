import Testing
import TestSupport
@testable import DataPrep

/// Decoding collections into fixed-size datasets.
@Suite struct CollectionLoadingTests {
    @Test func kaggleFixtureLoadsToOneShapeAndReportsTheBrokenImage() throws {
        let collection = try ImageCollection(folder: TestPaths.fixture("collections/kaggle"))
        let (data, skipped) = try collection.load(.init(width: 8, height: 6, color: .rgb, threads: 2))
        let all = try #require(data["all"])
        #expect(all.count == 8 && all.height == 6 && all.width == 8 && all.channels == 3)
        #expect(all.labels == [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(skipped.map { lastPathComponent($0.path) } == ["notes.txt", "dog.4.jpg"])
        // Cats were drawn red-dominant and dogs blue-dominant (CollectionFixtures.photo).
        let cat = all.image(at: 0), dog = all.image(at: 4)
        #expect(cat.pixel(x: 4, y: 3)[0] > cat.pixel(x: 4, y: 3)[2])
        #expect(dog.pixel(x: 4, y: 3)[2] > dog.pixel(x: 4, y: 3)[0])
        #expect(throws: DataPrepError.self) { try collection.load(.init(width: 8, height: 6, strict: true)) }
    }

    @Test func grayLoadMatchesDecodeThenResize() throws {
        let collection = try ImageCollection(folder: TestPaths.fixture("collections/splits"))
        let (data, _) = try collection.load(.init(width: 6, height: 5, color: .gray, filter: .area, threads: 1))
        let item = collection.splits[0].items[0]
        let expected = try ImageFile.decode(collection.bytes(of: item), name: "x", color: .gray, minimumSize: (6, 5))
            .resized(width: 6, height: 5, filter: .area)
        #expect(data["test"]?.image(at: 0) == expected)
    }
}
