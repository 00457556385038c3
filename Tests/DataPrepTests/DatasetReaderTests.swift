import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// `DatasetReader`: for every kind of source, the listing (made without decoding a pixel) names
/// the same splits, labels, classes and origins as the decoded load, and the one dispatch
/// (`DatasetSource.open`) keeps the format names and refusals it always had.
@Suite struct DatasetReaderTests {
    /// The listing of `path` against its load with `options`: same split names and class names,
    /// and per split, the listed samples the load did not skip are the loaded ones, in order,
    /// with the same labels and origins. Returns the listing and the load.
    @discardableResult
    static func expectListingMatchesLoad(_ path: String, options: LoadedDataset.Options = .init(threads: 2))
        throws -> (listing: DatasetListing, loaded: LoadedDataset) {
        let reader = try DatasetSource.open(path)
        let listing = try reader.listing()
        let loaded = try reader.load(options, progress: nil)
        #expect(loaded.format == reader.formatName)
        #expect(listing.splits.map(\.name) == loaded.splits.splits.map(\.name), "\(path)")
        #expect(listing.classNames == loaded.splits.splits[0].data.classNames, "\(path)")
        #expect(listing.coarseClassNames == loaded.splits.splits[0].data.coarseClassNames, "\(path)")
        #expect(Array(loaded.skipped.prefix(listing.skipped.count)) == listing.skipped, "\(path)")
        let skipped = Set(loaded.skipped.map(\.path))
        for (s, split) in listing.splits.enumerated() {
            let kept = (0..<split.count).filter { !skipped.contains(split.origin($0)) }
            let data = loaded.splits.splits[s].data
            #expect(kept.map { split.labels[$0] } == data.labels, "\(path) \(split.name)")
            #expect(kept.map { split.origin($0) } == Array(loaded.origins[s]), "\(path) \(split.name)")
            #expect(split.coarseLabels.map { coarse in kept.map { coarse[$0] } } == data.coarseLabels, "\(path) \(split.name)")
        }
        return (listing, loaded)
    }

    @Test func idxFoldersListTheirLabelsFiles() throws {
        let (mnist, _) = try Self.expectListingMatchesLoad(TestPaths.fixture("idx/mnist"))
        // Fixtures/README.md, idx/: train label j % 10 (20 records), test label (j + 3) % 10 (10 records).
        #expect(mnist.splits.map(\.count) == [20, 10])
        #expect(mnist.splits[0].labels == (0..<20).map { Int32($0 % 10) })
        #expect(mnist.splits[1].labels == (0..<10).map { Int32(($0 + 3) % 10) })
        #expect(mnist.splits[0].origin(7) == "train-images-idx3-ubyte.gz#7")
        #expect(mnist.splits[1].origin(0) == "t10k-images-idx3-ubyte#0")
        #expect(mnist.classNames == (0...9).map(String.init))
        let (fashion, _) = try Self.expectListingMatchesLoad(TestPaths.fixture("idx/fashion-mnist"))
        #expect(fashion.classNames == MNISTFolder.fashionClassNames)
        try Self.expectListingMatchesLoad(TestPaths.fixture("shapes"))
    }

    @Test func cifarFoldersArchivesAndBatchFilesListTheirRecordLabels() throws {
        for name in ["cifar-10-batches-bin", "cifar-10-binary.tar.gz", "cifar-100-binary", "cifar-100-binary.tar.gz",
                     "cifar-10-batches-bin/data_batch_3.bin", "cifar-100-binary/test.bin"] {
            let (listing, loaded) = try Self.expectListingMatchesLoad(TestPaths.fixture("cifar/" + name))
            #expect(listing.count == loaded.splits.splits.reduce(0) { $0 + $1.data.count } && listing.count > 0, "\(name)")
        }
        let cifar100 = try DatasetSource.open(TestPaths.fixture("cifar/cifar-100-binary")).listing()
        #expect(cifar100.splits.map(\.name) == ["train", "test"] && cifar100.splits[1].origin(2) == "test#2")
        #expect(cifar100.coarseClassNames?.count == 20 && cifar100.splits[0].coarseLabels?.count == cifar100.splits[0].count)
    }

    @Test func aTestOnlyCIFARFolderListsItsAbsentTrainSplitAsTheLoadReportsIt() throws {
        let root = try ScratchFolder.make("reader-cifar-test-only")
        defer { ScratchFolder.remove(root) }
        try FileIO.writeAtomically(FileIO.read(TestPaths.fixture("cifar/cifar-10-batches-bin/test_batch.bin")), to: root + "/test_batch.bin")
        let (listing, loaded) = try Self.expectListingMatchesLoad(root, options: .init(threads: 1))
        #expect(listing.splits.map(\.name) == ["test"])
        #expect(listing.skipped.map(\.path) == (1...5).map { root + "/data_batch_\($0).bin" } && loaded.skipped == listing.skipped)
    }

    @Test func collectionsListEveryPhotoAndTheLoadSkipsTheUndecodable() throws {
        for name in ["kaggle", "by-class", "by-class.zip", "kaggle-train.zip", "splits", "kaggle-root"] {
            let (listing, loaded) = try Self.expectListingMatchesLoad(TestPaths.fixture("collections/" + name),
                                                                      options: .init(size: (8, 8), threads: 2))
            let collection = try #require(try DatasetSource.open(TestPaths.fixture("collections/" + name)) as? ImageCollection)
            #expect(listing.count == collection.count && listing.skipped == collection.skipped, "\(name)")
            #expect(listing.count >= loaded.splits.splits.reduce(0) { $0 + $1.data.count }, "\(name)")
        }
        // by-class/dog/broken.jpg does not decode: it is listed (label dog) and only the load skips it.
        let path = TestPaths.fixture("collections/by-class")
        let (listing, loaded) = try Self.expectListingMatchesLoad(path, options: .init(size: (8, 8), threads: 1))
        let broken = path + "/dog/broken.jpg"
        let index = try #require((0..<listing.splits[0].count).first { listing.splits[0].origin($0) == broken })
        #expect(listing.splits[0].labels[index] == 1)
        #expect(loaded.skipped.contains { $0.path == broken } && !loaded.origins[0].contains(broken))
    }

    @Test func aCollectionOfUndecodablePhotosIsStillListed() throws {
        let root = try ScratchFolder.make("reader-garbage")
        defer { ScratchFolder.remove(root) }
        for name in ["cat.0.jpg", "cat.1.jpg", "dog.0.jpg"] {
            try FileIO.writeAtomically([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A], to: root + "/" + name)  // a JPEG cut short
        }
        let listing = try DatasetSource.open(root).listing()
        #expect(listing.classNames == ["cat", "dog"] && listing.splits.map(\.name) == ["all"])
        #expect(listing.splits[0].labels == [0, 0, 1])
        #expect((0..<3).map { listing.splits[0].origin($0) } == ["cat.0.jpg", "cat.1.jpg", "dog.0.jpg"].map { root + "/" + $0 })
        let loaded = try LoadedDataset.load(path: root, options: .init(size: (4, 4), threads: 1))
        #expect(loaded.splits.splits[0].data.count == 0 && loaded.skipped.count == 3)
    }

    @Test func anIDXFolderIsListedWithoutItsImagesFile() throws {
        let root = try ScratchFolder.make("reader-idx")
        defer { ScratchFolder.remove(root) }
        try FileIO.writeAtomically(FileIO.read(TestPaths.fixture("idx/mnist/t10k-labels-idx1-ubyte")), to: root + "/t10k-labels-idx1-ubyte")
        try FileIO.writeAtomically([0, 0, 8, 3, 0, 0], to: root + "/t10k-images-idx3-ubyte")  // a header cut short
        let listing = try DatasetSource.open(root).listing()
        #expect(listing.splits.map(\.name) == ["test"] && listing.splits[0].labels == (0..<10).map { Int32(($0 + 3) % 10) })
        #expect(throws: DataPrepError.truncated(path: root + "/t10k-images-idx3-ubyte", expected: 16, found: 6)) {
            try LoadedDataset.load(path: root)
        }
    }

    @Test func aSplitOutputIsListedFromItsLabelsWithoutItsPixels() throws {
        let root = try ScratchFolder.make("reader-split")
        defer { ScratchFolder.remove(root) }
        let job = SplitJob(source: TestPaths.fixture("idx/mnist"), spec: try SplitSpec(sizes: .ratios([0.5, 0.5])), seed: 3,
                           load: .init(threads: 1))
        try DatasetWriter(formats: [.npy]).write(job.prepare().prepared, into: root)
        let (listing, loaded) = try Self.expectListingMatchesLoad(root)
        #expect(listing.count == 30 && loaded.format == "dataprep-dataset")
        #expect(listing.splits[0].origin(4) == "train/x.npy#4")
        // The pixels are never opened by the listing: it holds without them.
        try FileManager.default.removeItem(atPath: root + "/train/x.npy")
        #expect(try DatasetSource.open(root).listing().splits[0].labels == listing.splits[0].labels)
        #expect(throws: DataPrepError.self) { try LoadedDataset.load(path: root) }
    }

    @Test func theDispatchKeepsFormatNames() throws {
        let names = [
            "idx/mnist": "idx-folder", "idx/mnist/t10k-labels-idx1-ubyte": "idx", "cifar/cifar-10-binary.tar.gz": "cifar-archive",
            "cifar/cifar-10-batches-bin": "cifar-10", "cifar/cifar-100-binary": "cifar-100",
            "cifar/cifar-10-batches-bin/test_batch.bin": "cifar-10-batch", "cifar/cifar-100-binary/train.bin": "cifar-100-batch",
            "collections/kaggle": "kaggle-named", "collections/kaggle-train.zip": "kaggle-named-splits-zip",
            "collections/by-class.zip": "class-folders-zip", "collections/splits": "split-class-folders",
            "collections/kaggle/cat.0.jpg": "image", "collections/kaggle/dog.2.png": "image",
        ]
        for (path, format) in names {
            #expect(try DatasetSource.open(TestPaths.fixture(path)).formatName == format, "\(path)")
            #expect(try DatasetInspector(threads: 1).inspect(TestPaths.fixture(path)).format == format, "\(path)")
        }
    }

    @Test func loneIDXFilesAndImagesAreDescribedButNotDatasets() throws {
        let idx = TestPaths.fixture("idx/mnist/t10k-labels-idx1-ubyte"), image = TestPaths.fixture("collections/kaggle/cat.0.jpg")
        let idxRefusal = DataPrepError.notADataset(
            path: idx, reason: "a lone IDX file holds images or labels, not both: pass the folder with the images and labels files")
        let imageRefusal = DataPrepError.notADataset(path: image, reason: "a single image is not a dataset: pass the folder or archive that holds it")
        #expect(throws: idxRefusal) { try LoadedDataset.load(path: idx) }
        #expect(throws: idxRefusal) { try DatasetSource.open(idx).listing() }
        #expect(throws: imageRefusal) { try LoadedDataset.load(path: image) }
        #expect(throws: imageRefusal) { try DatasetSource.open(image).listing() }
        #expect(try DatasetInspector().inspect(idx).splits[0].histogram == [Int](repeating: 1, count: 10))
        #expect(try DatasetInspector().inspect(image).details["codec"] == "jpeg")
    }

    @Test func aListingRefusesBadRecordsWithTheLoadersError() throws {
        for name in ["cifar10-label-out-of-range.bin", "cifar100-wrong-superclass.bin", "partial-record.bin", "cifar100-as-cifar10",
                     "short-meta", "zero-byte", "truncated-cifar-10-binary.tar.gz"] {
            let path = TestPaths.fixture("cifar/corrupt/" + name)
            var loadError: DataPrepError?
            do { _ = try LoadedDataset.load(path: path) } catch let error as DataPrepError { loadError = error }
            let expected = try #require(loadError, "\(name)")
            #expect(throws: expected, "\(name)") { try DatasetSource.open(path).listing() }
        }
    }
}
