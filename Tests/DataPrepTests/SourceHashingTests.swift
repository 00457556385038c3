import DataPrep
import Testing
import TestSupport

/// Source digests are taken from the bytes read for decoding: every kept photo's digest is the
/// SHA-256 of its file, aligned with its sample, with unreadable photos left out (not shifted).
struct SourceHashingTests {
    @Test(arguments: ["collections/by-class", "collections/by-class.zip", "collections/kaggle"])
    func collectionDigestsAreTheFilesDigestsInSampleOrder(_ fixture: String) throws {
        let path = TestPaths.fixture(fixture)
        var options = LoadedDataset.Options(size: (8, 8), hashSources: true)
        options.threads = 3
        let loaded = try LoadedDataset.load(path: path, options: options)
        let collection = try path.hasSuffix(".zip") ? ImageCollection(zip: path) : ImageCollection(folder: path)
        #expect(loaded.sourceHashes.map(\.count) == loaded.splits.splits.map(\.data.count))
        for (origins, hashes) in zip(loaded.origins, loaded.sourceHashes) {
            for (origin, hash) in zip(origins, hashes) {
                let item = try #require(collection.splits.flatMap(\.items).first { collection.displayName(of: $0) == origin })
                #expect(hash == SHA256.hexHash(try collection.bytes(of: item)), "\(origin)")
            }
        }
        // The same digests whatever the thread count.
        options.threads = 1
        #expect(try LoadedDataset.load(path: path, options: options).sourceHashes == loaded.sourceHashes)
    }
}
