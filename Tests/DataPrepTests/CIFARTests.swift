import Testing
import TestSupport
@testable import DataPrep

/// CIFAR decoding against the fixture formulas in `Tools/make-fixtures/TensorFixtures.swift`.
@Suite struct CIFARTests {
    static func pixel(_ r: Int, _ c: Int, _ y: Int, _ x: Int) -> UInt8 { UInt8((r * 13 + c * 85 + y * 5 + x * 2) % 256) }
    static func fine(_ r: Int) -> Int32 { Int32((r * 37 + 3) % 100) }
    /// The records of the CIFAR-100 fixture's train and test files (Fixtures/README.md, cifar/).
    static let cifar100Train = Array(0..<12) + [48, 66, 79]
    static let cifar100Test = Array(200..<205) + [208, 248, 279, 366]

    /// Checks HWC pixels of sample `index` against record `record` of the formula.
    static func expectRecord(_ data: ImageDataset, index: Int, record: Int) {
        for (y, x) in [(0, 0), (0, 31), (17, 5), (31, 31)] {
            for c in 0..<3 {
                #expect(data.pixels[index * 3072 + (y * 32 + x) * 3 + c] == pixel(record, c, y, x), "sample \(index) (\(y),\(x)) c\(c)")
            }
        }
    }

    static func expectCIFAR10(_ data: SplitDataset) throws {
        #expect(data.splits.map(\.name) == ["train", "test"])
        let train = try #require(data["train"]), test = try #require(data["test"])
        #expect(train.count == 15 && test.count == 10)
        #expect(train.labels == (0..<15).map { Int32($0 % 10) })
        #expect(test.labels == (100..<110).map { Int32($0 % 10) })
        #expect(train.classNames == CIFARClassNames.cifar10)
        #expect(train.coarseLabels == nil)
        expectRecord(train, index: 0, record: 0)
        expectRecord(train, index: 7, record: 7)      // data_batch_3, second record
        expectRecord(test, index: 9, record: 109)
    }

    static func expectCIFAR100(_ data: SplitDataset) throws {
        let train = try #require(data["train"]), test = try #require(data["test"])
        #expect(train.count == 15 && test.count == 9)
        #expect(train.labels == cifar100Train.map(fine))
        #expect(test.labels == cifar100Test.map(fine))
        #expect(train.coarseLabels == cifar100Train.map { Int32(CIFARClassNames.fineToCoarse[Int(fine($0))]) })
        // The appended records complete superclass 13: spider, lobster, crab in train; worm, spider, crab, lobster in test.
        #expect(train.labels.suffix(3) == [79, 45, 26] && test.labels.suffix(4) == [99, 79, 26, 45])
        #expect(train.classNames.count == 100 && train.coarseClassNames?.count == 20)
        #expect(train.classNames[26] == "crab" && train.coarseClassNames?[13] == "non-insect_invertebrates")
        expectRecord(train, index: 11, record: 11)
        expectRecord(train, index: 14, record: 79)
        expectRecord(test, index: 0, record: 200)
        expectRecord(test, index: 8, record: 366)
    }

    @Test func extractedFoldersDecode() throws {
        try Self.expectCIFAR10(#require(CIFARSource(folder: TestPaths.fixture("cifar/cifar-10-batches-bin"))).load())
        try Self.expectCIFAR100(#require(CIFARSource(folder: TestPaths.fixture("cifar/cifar-100-binary"))).load())
    }

    @Test func officialArchivesStreamWithoutExtracting() throws {
        try Self.expectCIFAR10(CIFARSource(archive: TestPaths.fixture("cifar/cifar-10-binary.tar.gz")).load())
        try Self.expectCIFAR100(CIFARSource(archive: TestPaths.fixture("cifar/cifar-100-binary.tar.gz")).load())
    }

    /// The published superclass table: "non-insect invertebrates" = crab, lobster, snail, spider, worm.
    @Test func fineToCoarseTableMatchesThePublishedSuperclasses() {
        let members = (0..<100).filter { CIFARClassNames.fineToCoarse[$0] == 13 }.map { CIFARClassNames.cifar100Fine[$0] }
        #expect(members == ["crab", "lobster", "snail", "spider", "worm"])
        #expect((0..<20).allSatisfy { c in CIFARClassNames.fineToCoarse.filter { $0 == c }.count == 5 })
    }

    @Test func corruptBatchesThrowTheirSpecificError() throws {
        let dir = TestPaths.fixture("cifar/corrupt/")
        func batch(_ name: String, _ variant: CIFARVariant) throws -> CIFARBatch {
            try CIFARBatch(bytes: FileIO.read(dir + name), name: dir + name, variant: variant)
        }
        #expect(throws: DataPrepError.sizeMismatch(
            path: dir + "partial-record.bin", expected: "a multiple of 3073 (cifar-10 records)", found: 2 * 3073 + 3,
            hint: "2 whole records and 3 bytes left over: the file is probably truncated")) { try batch("partial-record.bin", .cifar10) }
        #expect(throws: DataPrepError.labelOutOfRange(path: dir + "cifar10-label-out-of-range.bin", record: 1, offset: 3073,
                                                      label: 10, classCount: 10)) { try batch("cifar10-label-out-of-range.bin", .cifar10) }
        #expect(throws: DataPrepError.labelOutOfRange(path: dir + "cifar100-fine-out-of-range.bin", record: 1, offset: 3074 + 1,
                                                      label: 100, classCount: 100)) { try batch("cifar100-fine-out-of-range.bin", .cifar100) }
        #expect(throws: DataPrepError.labelOutOfRange(path: dir + "cifar100-coarse-out-of-range.bin", record: 0, offset: 0,
                                                      label: 20, classCount: 20)) { try batch("cifar100-coarse-out-of-range.bin", .cifar100) }
        #expect(throws: DataPrepError.self) { try batch("cifar100-wrong-superclass.bin", .cifar100) }
        let zero = dir + "zero-byte/data_batch_1.bin"
        #expect(throws: DataPrepError.emptyFile(path: zero)) { try CIFARSource(folder: dir + "zero-byte")!.load() }
    }

    @Test func cifar100RecordsUnderACIFAR10NameGetAHint() throws {
        let path = TestPaths.fixture("cifar/corrupt/cifar100-as-cifar10/data_batch_1.bin")
        #expect(throws: DataPrepError.sizeMismatch(path: path, expected: "a multiple of 3073 (cifar-10 records)", found: 3 * 3074,
                                                   hint: "records are 3074 bytes: this looks like cifar-100")) {
            try CIFARSource(folder: TestPaths.fixture("cifar/corrupt/cifar100-as-cifar10"))!.load()
        }
    }

    @Test func metaFileWithTooFewNamesIsInconsistent() throws {
        let folder = TestPaths.fixture("cifar/corrupt/short-meta")
        #expect(throws: DataPrepError.inconsistent(path: folder + "/batches.meta.txt", reason: "lists 2 class names, the format has 10")) {
            try CIFARSource(folder: folder)!.load()
        }
    }

    @Test func truncatedArchiveIsAnError() {
        #expect(throws: DataPrepError.self) {
            try CIFARSource(archive: TestPaths.fixture("cifar/corrupt/truncated-cifar-10-binary.tar.gz")).load()
        }
    }
}
