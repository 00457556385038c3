import Testing
import TestSupport
@testable import DataPrep

/// Listing and labelling image collections (`Tools/make-fixtures/CollectionFixtures.swift`).
@Suite struct CollectionTests {
    @Test func kaggleNamesGiveLabelsAndSortedOrder() throws {
        let c = try ImageCollection(folder: TestPaths.fixture("collections/kaggle"))
        #expect(c.layout == .kaggleNamed)
        #expect(c.classNames == ["cat", "dog"])
        #expect(c.splits.map(\.name) == ["all"])
        // Byte order, as Python's sorted(os.listdir()): cat.10 sorts before cat.2.
        #expect(c.splits[0].items.map(\.path) == ["cat.0.jpg", "cat.1.jpg", "cat.10.jpg", "cat.2.jpg",
                                                  "dog.0.jpg", "dog.1.jpg", "dog.2.png", "dog.3.jpg", "dog.4.jpg"])
        #expect(c.splits[0].items.map(\.label) == [0, 0, 0, 0, 1, 1, 1, 1, 1])
        // Hidden files are ignored outright; the stray text file is reported.
        #expect(c.skipped.map(\.path) == [TestPaths.fixture("collections/kaggle/notes.txt")])
    }

    @Test func classFoldersIncludeNestedImagesAndReportStrays() throws {
        let c = try ImageCollection(folder: TestPaths.fixture("collections/by-class"))
        #expect(c.layout == .classFolders)
        #expect(c.classNames == ["cat", "dog"])
        #expect(c.splits[0].items.map(\.path) == ["cat/a.jpg", "cat/b.png", "cat/nested/c.jpg", "dog/broken.jpg", "dog/x.jpg", "dog/y.jpg"])
        #expect(c.skipped.map(\.path) == [TestPaths.fixture("collections/by-class/README.txt")])
    }

    @Test func splitFoldersShareOneClassList() throws {
        let c = try ImageCollection(folder: TestPaths.fixture("collections/splits"))
        #expect(c.layout == .splitFolders)
        #expect(c.splits.map(\.name) == ["test", "train", "val"])
        #expect(c.classNames == ["cat", "dog"])
        #expect(c.splits[2].items.map(\.label) == [1])   // val has only a dog: label 1, not 0
    }

    @Test func kaggleZipStreamsMembersAndSkipsUnlabeledAndMacMetadata() throws {
        let path = TestPaths.fixture("collections/kaggle-train.zip")
        let c = try ImageCollection(zip: path)
        #expect(c.layout == .kaggleSplits)
        #expect(c.splits.map(\.name) == ["train"])
        #expect(c.count == 9)
        #expect(c.skipped.contains(SkippedFile(path: path + ":test1/", reason: "no file here is named label.N.ext: unlabeled, skipped")))
        #expect(!c.skipped.contains { $0.path.contains("__MACOSX") })
        let item = c.splits[0].items[0]
        #expect(c.displayName(of: item) == path + ":train/cat.0.jpg")
        let folderBytes = try FileIO.read(TestPaths.fixture("collections/kaggle/cat.0.jpg"))
        #expect(try c.bytes(of: item) == folderBytes)
    }

    @Test func zipAndFolderOfTheSameTreeAgree() throws {
        let folder = try ImageCollection(folder: TestPaths.fixture("collections/by-class"))
        let zip = try ImageCollection(zip: TestPaths.fixture("collections/by-class.zip"))
        #expect(folder.classNames == zip.classNames)
        #expect(folder.splits[0].items == zip.splits[0].items)
    }

    @Test func inspectorReportsUnreadableImagesAndSizes() throws {
        let report = try DatasetInspector(threads: 2).inspect(TestPaths.fixture("collections/kaggle"))
        #expect(report.splits[0].count == 8)
        #expect(report.splits[0].histogram == [4, 4])
        let sizes = try #require(report.splits[0].sizes)
        #expect(sizes.minWidth == 16 && sizes.maxWidth == 24 && sizes.minHeight == 14 && sizes.maxHeight == 24)
        #expect(sizes.grayCount == 1 && sizes.colorCount == 7)
        #expect(report.skipped.map(\.path).sorted() == ["collections/kaggle/dog.4.jpg", "collections/kaggle/notes.txt"].map(TestPaths.fixture))
        #expect(throws: DataPrepError.self) { try DatasetInspector(strict: true).inspect(TestPaths.fixture("collections/kaggle")) }
    }

    @Test func inspectorResultDoesNotDependOnThreadCount() throws {
        let one = try DatasetInspector(threads: 1).inspect(TestPaths.fixture("collections/by-class.zip"))
        let two = try DatasetInspector(threads: 2).inspect(TestPaths.fixture("collections/by-class.zip"))
        #expect(one == two)
        #expect(one.skipped.count == 2)   // README.txt and the HTML page saved as dog/broken.jpg
    }

    @Test func layoutRulesOnPlainPathLists() throws {
        let kaggleRoot = try CollectionPlan.make(files: ["train/cat.1.jpg", "train/dog.1.jpg", "test1/5.jpg"], root: "r")
        #expect(kaggleRoot.layout == .kaggleSplits && kaggleRoot.splits.map(\.name) == ["train"])
        #expect(throws: DataPrepError.notADataset(path: "r", reason: "no JPEG or PNG images found")) {
            try CollectionPlan.make(files: ["a.txt"], root: "r")
        }
        #expect(CollectionPlan.kaggleLabel("cat.12.JPG") == "cat")
        #expect(CollectionPlan.kaggleLabel("cat.x.jpg") == nil && CollectionPlan.kaggleLabel("12.jpg") == nil)
    }
}
