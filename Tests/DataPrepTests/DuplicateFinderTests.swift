import Testing
import TestSupport
@testable import DataPrep

/// `DuplicateGroups` on hand-built datasets whose identical images are known by construction.
@Suite struct DuplicateFinderTests {
    /// 3x3 gray images (9 bytes: one 8-byte word plus a 1-byte tail, so both hash paths count).
    static func image(_ seed: UInt8, tail: UInt8? = nil) -> [UInt8] {
        var bytes = (0..<9).map { UInt8(truncatingIfNeeded: Int(seed) &* 29 &+ $0 &* 7) }
        if let tail { bytes[8] = tail }
        return bytes
    }

    /// Samples 0..9: A at 0, 3, 6; B at 2, 5 (labelled differently); C at 8 and 9; the rest
    /// unique, including 7 = A with only its last (tail) byte changed and 4 = A with its first
    /// byte changed.
    static let dataset: ImageDataset = {
        let aTail = image(1, tail: image(1)[8] &+ 1)
        var aHead = image(1)
        aHead[0] &+= 1
        let images = [image(1), image(2), image(3), image(1), aHead, image(3), image(1), aTail, image(4), image(4)]
        let labels: [Int32] = [0, 1, 0, 0, 1, 1, 0, 0, 1, 1]
        return ImageDataset(height: 3, width: 3, channels: 1, pixels: images.flatMap { $0 }, labels: labels, classNames: ["x", "y"])
    }()

    /// The groups every pair of byte-identical samples forms, found the slow, obvious way.
    static func referenceGroups(_ data: ImageDataset) -> [[Int]] {
        let bytes = data.pixels, size = data.sampleSize
        var groups: [[Int]] = [], grouped = Set<Int>()
        for i in 0..<data.count where !grouped.contains(i) {
            let same = (i..<data.count).filter { bytes[($0 * size)..<(($0 + 1) * size)] == bytes[(i * size)..<((i + 1) * size)] }
            if same.count > 1 { groups.append(same); grouped.formUnion(same) }
        }
        return groups
    }

    /// Detection from per-sample digests over spilled (mapped) pixels finds exactly the groups
    /// of the in-memory search and of the pairwise reference, and equal digests that hide
    /// different bytes (every digest forced to 0) are still told apart byte for byte.
    @Test func digestsOverSpilledPixelsFindTheSameGroupsAsBefore() throws {
        let folder = try ScratchFolder.make("dup-digests")
        defer { ScratchFolder.remove(folder) }
        let spilled = try Self.dataset.gathering(Array(0..<Self.dataset.count), spillingInto: folder, chunkBytes: 20)
        #expect(spilled.storage.isMapped && spilled == Self.dataset)
        let expected = try DuplicateGroups.find(in: Self.dataset, threads: 1)
        #expect(expected.groups == Self.referenceGroups(Self.dataset))
        let digests = try DuplicateGroups.digests(of: spilled, threads: 3)
        #expect(digests == (try DuplicateGroups.digests(of: Self.dataset, threads: 1)))
        #expect(DuplicateGroups.find(digests: digests, in: spilled) == expected)
        #expect(DuplicateGroups.find(digests: [UInt64](repeating: 0, count: spilled.count), in: spilled) == expected)
        #expect(try FileIO.listDirectory(folder).isEmpty, "the spill file is unlinked as soon as it is made")
    }

    @Test func groupsAreExactAscendingAndOrderedByFirstIndex() throws {
        let found = try DuplicateGroups.find(in: Self.dataset, threads: 1)
        #expect(found.groups == [[0, 3, 6], [2, 5], [8, 9]])
        #expect(found.redundant == [3, 6, 5, 9])
    }

    @Test func resultDoesNotDependOnThreadCount() throws {
        let one = try DuplicateGroups.find(in: Self.dataset, threads: 1)
        for threads in [2, 3, 8] { #expect(try DuplicateGroups.find(in: Self.dataset, threads: threads) == one) }
    }

    /// Labels: A (0, 3, 6) all 0; B (2, 5) 0 and 1; C (8, 9) both 1.
    @Test func conflictingGroupsCarryMoreThanOneLabel() throws {
        let found = try DuplicateGroups.find(in: Self.dataset, threads: 2)
        #expect(found.conflicting(labels: Self.dataset.labels) == [[2, 5]])
        #expect(found.conflicting(labels: [Int32](repeating: 0, count: 10)).isEmpty)
    }

    @Test func crossingGroupsSpanMoreThanOneSplit() throws {
        let found = try DuplicateGroups.find(in: Self.dataset, threads: 2)
        let leaky = SplitPlan(splits: [[0, 1, 2, 8, 9], [3, 4], [5, 6, 7]], names: ["train", "val", "test"], shortClasses: [])
        #expect(found.crossing(leaky) == [[0, 3, 6], [2, 5]])
        let clean = SplitPlan(splits: [[0, 3, 6, 8], [2, 5, 9]], names: ["train", "test"], shortClasses: [])
        #expect(found.crossing(clean) == [[8, 9]])
        // A group whose other members were left out of every split does not cross.
        let partial = SplitPlan(splits: [[0, 1], [2, 4]], names: ["train", "test"], shortClasses: [])
        #expect(found.crossing(partial).isEmpty)
    }

    @Test func noDuplicatesGivesNoGroups() throws {
        let unique = ImageDataset(height: 3, width: 3, channels: 1, pixels: (1...6).flatMap { Self.image(UInt8($0)) },
                                  labels: [0, 0, 0, 1, 1, 1], classNames: ["x", "y"])
        let found = try DuplicateGroups.find(in: unique, threads: 2)
        #expect(found.groups.isEmpty && found.redundant.isEmpty)
    }

    /// Colour images compared over all channels: two RGB images equal in R and G but not B are distinct.
    @Test func everyChannelCounts() throws {
        let base: [UInt8] = (0..<12).map { UInt8($0 * 5) }   // 2x2x3
        var blue = base
        blue[11] = 1
        let data = ImageDataset(height: 2, width: 2, channels: 3, pixels: base + blue + base, labels: [0, 0, 0], classNames: ["x"])
        #expect(try DuplicateGroups.find(in: data, threads: 1).groups == [[0, 2]])
    }
}
