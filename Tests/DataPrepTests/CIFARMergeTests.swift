import Testing
import TestSupport
@testable import DataPrep

/// `CIFARMerge`: CIFAR-10 plus one CIFAR-100 superclass. Synthetic inputs tag every record's
/// pixels with its origin (`SyntheticCIFAR`), so each merged sample's label is checked exactly.
@Suite struct CIFARMergeTests {
    // MARK: Synthetic inputs

    /// CIFAR-10: 60 train records labelled i % 10 (6 per class), 30 test records labelled
    /// 3i % 10 (3 per class).
    static let train10 = (0..<60).map { $0 % 10 }
    static let test10 = (0..<30).map { $0 * 3 % 10 }
    /// CIFAR-100 fine labels. Superclass 13 (FORMATS.md §a): crab 26, lobster 45, snail 77,
    /// spider 79, worm 99. Train: crab ×2, lobster ×3, snail ×4, spider ×2, worm ×5, plus
    /// apple 0 ×3, bee 6 ×2, beaver 4 ×2, trout 91 ×1 from other superclasses.
    static let train100 = [26, 0, 99, 45, 6, 77, 99, 26, 4, 45, 77, 0, 99, 79, 45, 77, 6, 99, 91, 79, 77, 0, 99, 4]
    /// Test: crab ×2, lobster, snail, spider, worm ×1, plus bear 3 and mouse 50.
    static let test100 = [79, 3, 26, 99, 45, 77, 26, 50]
    static let superclass13 = [26, 45, 77, 79, 99]

    /// The two folders, written once per test into a scratch folder.
    struct Inputs {
        let root: String
        let cifar10: String
        let cifar100: String
        /// Train records of CIFAR-10 in decoded order (data_batch_1 first): origin and label.
        let train10Order: [(SyntheticCIFAR.Origin, Int)]

        init() throws {
            root = try ScratchFolder.make("merge")
            cifar10 = root + "/cifar-10-batches-bin"
            cifar100 = root + "/cifar-100-binary"
            train10Order = try SyntheticCIFAR.writeCIFAR10(to: cifar10, train: CIFARMergeTests.train10, test: CIFARMergeTests.test10).train
            try SyntheticCIFAR.writeCIFAR100(to: cifar100, train: CIFARMergeTests.train100, test: CIFARMergeTests.test100)
        }
    }

    /// The label a merged sample must carry, from its origin alone; nil when the record must
    /// not be in the merge at all.
    static func expectedLabel(_ origin: SyntheticCIFAR.Origin, fine chosen: [Int]) -> Int? {
        switch (origin.dataset, origin.split) {
        case (10, 0): return train10[origin.index]
        case (10, 1): return test10[origin.index]
        case (100, let split):
            let fine = (split == 0 ? train100 : test100)[origin.index]
            return chosen.firstIndex(of: fine).map { 10 + $0 }
        default: return nil
        }
    }

    static func origins(_ data: ImageDataset) -> [SyntheticCIFAR.Origin] {
        (0..<data.count).map { SyntheticCIFAR.origin(ofHWC: data.pixels[($0 * 3072)..<(($0 + 1) * 3072)]) }
    }

    /// Every record that must be merged into `split` (0 train, 1 test), once each.
    static func expectedOrigins(split: Int, fine chosen: [Int]) -> Set<SyntheticCIFAR.Origin> {
        let ten = (0..<(split == 0 ? train10.count : test10.count)).map { SyntheticCIFAR.Origin(dataset: 10, split: split, index: $0) }
        let hundred = (split == 0 ? train100 : test100).enumerated().filter { chosen.contains($0.element) }
            .map { SyntheticCIFAR.Origin(dataset: 100, split: split, index: $0.offset) }
        return Set(ten + hundred)
    }

    /// Checks labels, membership and class names of a merge without balancing.
    static func expectExactMerge(_ result: SplitJob.Result, fine chosen: [Int], names: [String]) throws {
        let prepared = result.prepared
        #expect(prepared.splits.map(\.name) == ["train", "test"])
        #expect(prepared.classNames == CIFARClassNames.cifar10 + names)
        for (s, (name, data)) in prepared.splits.enumerated() {
            let origins = Self.origins(data)
            #expect(Set(origins) == Self.expectedOrigins(split: s, fine: chosen), "\(name): wrong records")
            #expect(origins.count == Set(origins).count, "\(name): a record repeats")
            for (k, origin) in origins.enumerated() {
                #expect(Int(data.labels[k]) == Self.expectedLabel(origin, fine: chosen), "\(name) #\(k) ← \(origin)")
            }
        }
    }

    // MARK: Labels and membership

    @Test func wholeSuperclassIsAppendedInFineLabelOrder() throws {
        let inputs = try Inputs()
        defer { ScratchFolder.remove(inputs.root) }
        let merge = try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "non-insect_invertebrates", seed: 7, threads: 2)
        #expect(merge.fineLabels == Self.superclass13)
        let result = try merge.prepare()
        // FORMATS.md §a merge recipe: crab 10, lobster 11, snail 12, spider 13, worm 14.
        try Self.expectExactMerge(result, fine: Self.superclass13, names: ["crab", "lobster", "snail", "spider", "worm"])
        #expect(result.prepared.splits.map(\.data.count) == [60 + 16, 30 + 6])
        #expect(result.prepared.splits[0].data.classHistogram == [Int](repeating: 6, count: 10) + [2, 3, 4, 2, 5])
        #expect(result.prepared.splits[1].data.classHistogram == [Int](repeating: 3, count: 10) + [2, 1, 1, 1, 1])
        #expect(result.report.classNames == result.prepared.classNames)
        #expect(result.report.splits.map(\.count) == [76, 36])
        // Test keeps CIFAR-10's order, then the chosen CIFAR-100 test records in theirs.
        #expect(Self.origins(result.prepared.splits[1].data) == (0..<30).map { .init(dataset: 10, split: 1, index: $0) }
                + [0, 2, 3, 4, 5, 6].map { .init(dataset: 100, split: 1, index: $0) })
        #expect(result.report.notes == ["imbalance: train has 6 images in its largest class and 2 in its smallest (3:1); "
                                        + "pass --balance undersample|oversample to even it out"])
    }

    @Test func chosenClassesKeepFineLabelOrderWhateverTheTypingOrder() throws {
        let inputs = try Inputs()
        defer { ScratchFolder.remove(inputs.root) }
        let merge = try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "13", classes: ["worm", "crab"], seed: 7)
        #expect(merge.classNames == CIFARClassNames.cifar10 + ["crab", "worm"])
        let result = try merge.prepare()
        // crab 10, worm 11; lobster, snail, spider and every other superclass left out.
        try Self.expectExactMerge(result, fine: [26, 99], names: ["crab", "worm"])
        #expect(result.prepared.splits[0].data.classHistogram == [Int](repeating: 6, count: 10) + [2, 5])
        #expect(result.prepared.splits[1].data.classHistogram == [Int](repeating: 3, count: 10) + [2, 1])
    }

    @Test func manifestRowsNameTheRecordAndItsNewLabel() throws {
        let inputs = try Inputs()
        defer { ScratchFolder.remove(inputs.root) }
        let result = try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "13", seed: 3).prepare()
        #expect(result.prepared.manifest.count == 76 + 36)
        for row in result.prepared.manifest {
            let data = try #require(result.prepared.splits.first { $0.name == row.split }).data
            let origin = Self.origins(data)[row.index]
            let parts = row.source.split(separator: ":")
            let record = try #require(Int(parts[1].split(separator: "#")[1]))
            // Sources are `cifar10:SPLIT#k` / `cifar100:SPLIT#k`, k counting decoded records of the split.
            #expect(parts[1].hasPrefix(row.split + "#"))
            if parts[0] == "cifar10" && row.split == "train" {
                #expect(inputs.train10Order[record].0 == origin, "\(row.source)")
            } else {
                #expect(origin == .init(dataset: parts[0] == "cifar10" ? 10 : 100, split: row.split == "train" ? 0 : 1, index: record), "\(row.source)")
            }
            #expect(row.label == Int(data.labels[row.index]) && row.className == result.prepared.classNames[row.label])
            #expect(row.sha256 == SHA256.hexHash(Array(data.pixels[(row.index * 3072)..<((row.index + 1) * 3072)])))
        }
    }

    // MARK: Order and balance

    @Test func trainShuffleIsSeededAndTestIsNotShuffled() throws {
        let inputs = try Inputs()
        defer { ScratchFolder.remove(inputs.root) }
        func run(_ seed: UInt64) throws -> SplitJob.Result {
            try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "13", seed: seed, threads: 2).prepare()
        }
        let a = try run(11), b = try run(11), c = try run(12)
        // Compared as (origin, label) sequences: short enough to read when they differ.
        func order(_ result: SplitJob.Result, _ split: Int) -> [String] {
            let data = result.prepared.splits[split].data
            return zip(Self.origins(data), data.labels).map { "\($0) \($1)" }
        }
        #expect(order(a, 0) == order(b, 0) && a.prepared.manifest == b.prepared.manifest)
        #expect(order(a, 0) != order(c, 0))
        #expect(order(a, 1) == order(c, 1))
        // Shuffled: the new classes are not all at the end of train.
        let labels = a.prepared.splits[0].data.labels
        #expect(try #require(labels.firstIndex { $0 >= 10 }) < labels.count - 16)
    }

    @Test func undersampleGivesEveryClassTheSmallestCount() throws {
        let inputs = try Inputs()
        defer { ScratchFolder.remove(inputs.root) }
        let result = try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "13", balance: .undersample, seed: 5).prepare()
        let train = result.prepared.splits[0].data
        // Smallest training class: crab and spider with 2 each.
        #expect(train.classHistogram == [Int](repeating: 2, count: 15))
        let origins = Self.origins(train)
        #expect(Set(origins).count == origins.count)   // distinct images, no repeats
        #expect(Set(origins).isSubset(of: Self.expectedOrigins(split: 0, fine: Self.superclass13)))
        for (k, origin) in origins.enumerated() { #expect(Int(train.labels[k]) == Self.expectedLabel(origin, fine: Self.superclass13)) }
        // Test is never balanced.
        #expect(result.prepared.splits[1].data.classHistogram == [Int](repeating: 3, count: 10) + [2, 1, 1, 1, 1])
        #expect(result.report.notes == ["train balanced by undersample: 2 images per class"])
        // Another seed picks other images.
        let other = try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "13", balance: .undersample, seed: 6).prepare()
        #expect(Set(Self.origins(other.prepared.splits[0].data)) != Set(origins))
    }

    @Test func oversampleRepeatsEveryImageEvenlyUpToTheLargestCount() throws {
        let inputs = try Inputs()
        defer { ScratchFolder.remove(inputs.root) }
        let result = try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "13", balance: .oversample, seed: 5).prepare()
        let train = result.prepared.splits[0].data
        // Largest training class: every CIFAR-10 class with 6.
        #expect(train.classHistogram == [Int](repeating: 6, count: 15))
        var copies: [SyntheticCIFAR.Origin: Int] = [:]
        for (k, origin) in Self.origins(train).enumerated() {
            copies[origin, default: 0] += 1
            #expect(Int(train.labels[k]) == Self.expectedLabel(origin, fine: Self.superclass13))
        }
        // Every image of a class of n is used ⌊6/n⌋ or ⌊6/n⌋ + 1 times.
        #expect(Set(copies.keys) == Self.expectedOrigins(split: 0, fine: Self.superclass13))
        for (origin, count) in copies {
            let label = try #require(Self.expectedLabel(origin, fine: Self.superclass13), "\(origin) must not be merged")
            let n = label < 10 ? 6 : [2, 3, 4, 2, 5][label - 10]
            #expect(count == 6 / n || count == 6 / n + 1, "\(origin): \(count) copies in a class of \(n)")
        }
        #expect(result.report.notes == ["train balanced by oversample: 6 images per class"])

        // Which images get the extra copy is a seeded choice, not the first ones in source
        // order: snail (4 → 2 extra) and worm (5 → 1 extra) offer 6 × 5 = 30 choices per seed,
        // so five seeds all choosing alike would be a 1-in-30⁴ coincidence.
        let extras = try (1...5).map { seed -> Set<SyntheticCIFAR.Origin> in
            let train = try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar100, superclass: "13", balance: .oversample,
                                       seed: UInt64(seed)).prepare().prepared.splits[0].data
            var copies: [SyntheticCIFAR.Origin: Int] = [:]
            for origin in Self.origins(train) { copies[origin, default: 0] += 1 }
            return Set(copies.filter { origin, count in
                let label = Self.expectedLabel(origin, fine: Self.superclass13)
                return (label == 12 || label == 14) && count == 2
            }.keys)
        }
        #expect(extras.allSatisfy { $0.count == 3 })   // 2 snails + 1 worm doubled
        #expect(Set(extras).count > 1)
    }

    // MARK: Superclass names and errors

    @Test func superclassesResolveByIndexOrForgivingName() throws {
        for text in ["13", "non-insect_invertebrates", "Non Insect Invertebrates", "NON-INSECT-INVERTEBRATES", " non insect invertebrates "] {
            let superclass = try CIFARSuperclass(text)
            #expect(superclass.index == 13 && superclass.name == "non-insect_invertebrates", "\(text)")
            #expect(superclass.fineLabels == Self.superclass13 && superclass.fineNames == ["crab", "lobster", "snail", "spider", "worm"])
        }
        // FORMATS.md §a: superclass 7 insects = bee 6, beetle 7, butterfly 14, caterpillar 18, cockroach 24.
        #expect(try CIFARSuperclass("insects").fineLabels == [6, 7, 14, 18, 24])
        #expect(try CIFARSuperclass("0").name == "aquatic_mammals" && CIFARSuperclass("19").name == "vehicles_2")
    }

    @Test(arguments: ["bugs", "20", "-1", "", "insect"])
    func unknownSuperclassListsTheTwentyNames(_ text: String) throws {
        #expect(throws: MergeError.unknownSuperclass(given: text, valid: CIFARClassNames.cifar100Coarse)) { try CIFARSuperclass(text) }
        let error = MergeError.unknownSuperclass(given: text, valid: CIFARClassNames.cifar100Coarse)
        #expect(CIFARClassNames.cifar100Coarse.count == 20)
        #expect(error.description.hasPrefix("unknown CIFAR-100 superclass '\(text)'; choose a name or index: 0 aquatic_mammals, 1 fish, "))
        #expect(error.description.hasSuffix("18 vehicles_1, 19 vehicles_2"))
    }

    @Test func classesOutsideTheSuperclassAreNamed() throws {
        #expect(throws: MergeError.unknownClasses(given: ["ant", "Bee"], superclass: "non-insect_invertebrates",
                                                  valid: ["crab", "lobster", "snail", "spider", "worm"])) {
            try CIFARMerge(cifar10: "a", cifar100: "b", superclass: "13", classes: ["crab", "ant", "Bee"], seed: 0)
        }
    }

    @Test func inputsSwappedOrIncompleteAreNamed() throws {
        let inputs = try Inputs()
        defer { ScratchFolder.remove(inputs.root) }
        #expect(throws: MergeError.wrongDataset(path: inputs.cifar100, expected: "CIFAR-10 (10 classes)", found: "cifar-100 with 100 classes")) {
            try CIFARMerge(cifar10: inputs.cifar100, cifar100: inputs.cifar100, superclass: "13", seed: 0).prepare()
        }
        #expect(throws: MergeError.wrongDataset(path: inputs.cifar10, expected: "CIFAR-100 (100 fine classes with superclasses)",
                                                found: "cifar-10 with 10 classes")) {
            try CIFARMerge(cifar10: inputs.cifar10, cifar100: inputs.cifar10, superclass: "13", seed: 0).prepare()
        }
        // A CIFAR-10 folder with only its test batch has no train split to merge.
        let testOnly = inputs.root + "/test-only"
        try FileIO.makeDirectories(testOnly)
        try FileIO.writeAtomically(FileIO.read(inputs.cifar10 + "/test_batch.bin"), to: testOnly + "/test_batch.bin")
        #expect(throws: MergeError.missingSplit(path: testOnly, split: "train", has: ["test"])) {
            try CIFARMerge(cifar10: testOnly, cifar100: inputs.cifar100, superclass: "13", seed: 0).prepare()
        }
    }

    // MARK: The repository's fixtures

    /// Fixtures/README.md, cifar/: CIFAR-10 train records 0..<15 (label r % 10), test 100..<110;
    /// CIFAR-100 train records 0..<12 + [48, 66, 79] and test 200..<205 + [208, 248, 279, 366]
    /// with fine label (r*37 + 3) % 100, which puts train 2 (snail), 8 (worm), 48 (spider),
    /// 66 (lobster), 79 (crab) and test 202, 208, 248, 279, 366 in superclass 13: one of each.
    @Test(arguments: [("cifar/cifar-10-batches-bin", "cifar/cifar-100-binary"), ("cifar/cifar-10-binary.tar.gz", "cifar/cifar-100-binary.tar.gz")])
    func fixturesMergeTheWholeSuperclass(_ ten: String, _ hundred: String) throws {
        let result = try CIFARMerge(cifar10: TestPaths.fixture(ten), cifar100: TestPaths.fixture(hundred), superclass: "13", seed: 1).prepare()
        let (train, test) = (result.prepared.splits[0].data, result.prepared.splits[1].data)
        #expect(train.count == 20 && test.count == 15)
        #expect(train.classHistogram == [2, 2, 2, 2, 2, 1, 1, 1, 1, 1] + [1, 1, 1, 1, 1])
        #expect(test.classHistogram == [Int](repeating: 1, count: 15))
        for row in result.prepared.manifest {
            let data = row.split == "train" ? train : test
            let parts = row.source.split(separator: "#")
            let k = try #require(Int(parts[1]))
            // cifar10:train#k is record k (batches of 3 in order), cifar10:test#k record 100 + k,
            // cifar100:train#k and cifar100:test#k the k-th record of the file's record list.
            let r = row.source.hasPrefix("cifar10:") ? k + (row.split == "train" ? 0 : 100)
                : (row.split == "train" ? CIFARTests.cifar100Train : CIFARTests.cifar100Test)[k]
            let label = try row.source.hasPrefix("cifar10:") ? r % 10 : 10 + #require(Self.superclass13.firstIndex(of: (r * 37 + 3) % 100), "\(row.source)")
            #expect(row.label == label && Int(data.labels[row.index]) == label, "\(row.source)")
            CIFARTests.expectRecord(data, index: row.index, record: r)
        }
        // Both fixtures use one pixel formula, so CIFAR-10 train records 2 and 8 equal CIFAR-100's
        // 2 (snail) and 8 (worm): two duplicate sets inside train, each with two labels. The
        // other superclass records differ from every CIFAR-10 record modulo 256, so no more.
        #expect(result.report.duplicateGroups == 2 && result.report.duplicatesWithConflictingLabels == 2)
        #expect(result.report.duplicatesAcrossSplits == 0)
        #expect(!result.report.notes.contains { $0.contains("no train images") || $0.contains("no test images") })
    }

    @Test func folderAndArchiveMergeToTheSameSamples() throws {
        let folder = try CIFARMerge(cifar10: TestPaths.fixture("cifar/cifar-10-batches-bin"), cifar100: TestPaths.fixture("cifar/cifar-100-binary"),
                                    superclass: "13", balance: .oversample, seed: 4).prepare()
        let archive = try CIFARMerge(cifar10: TestPaths.fixture("cifar/cifar-10-binary.tar.gz"), cifar100: TestPaths.fixture("cifar/cifar-100-binary.tar.gz"),
                                     superclass: "13", balance: .oversample, seed: 4).prepare()
        let sameSamples = folder.prepared.splits.map(\.data) == archive.prepared.splits.map(\.data)   // a Bool: no 80 KB dump on failure
        #expect(sameSamples)
        #expect(folder.prepared.manifest == archive.prepared.manifest)
    }
}
