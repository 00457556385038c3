import DataPrep
import Foundation
import Testing
import TestSupport
@testable import Augment

/// Pipeline documents built to break the reader (`Fixtures/hostile/json`, `HostileFixtures`):
/// refused with `AugmentError.invalidDocument` naming the file before JSONDecoder recurses.
@Suite struct HostilePipelineTests {
    @Test func deeplyNestedPipelineIsAnInvalidDocument() throws {
        let path = TestPaths.fixture("hostile/json/deep-pipeline.json")
        #expect(throws: AugmentError.invalidDocument(path: path, reason: "JSON nesting depth (at byte offset 64) 65 exceeds the limit of 64")) {
            _ = try Pipeline.load(path: path)
        }
    }

    /// A sparse 17 MiB file (no disk used) is refused by its size before it is read.
    @Test func hugePipelineIsRefusedByItsSize() throws {
        let folder = try ScratchFolder.make("huge-pipeline")
        defer { ScratchFolder.remove(folder) }
        let path = folder + "/augmentation.json"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 17 << 20) == 0)
        #expect(throws: AugmentError.invalidDocument(path: path, reason: "JSON document size (bytes) \(17 << 20) exceeds the limit of \(16 << 20)")) {
            _ = try Pipeline.load(path: path)
        }
    }
}
