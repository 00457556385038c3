import DataPrep
import Foundation
import Testing
import TestSupport
@testable import Train

/// Checkpoint files and model specs built to break the readers (`Fixtures/hostile/`,
/// `HostileFixtures`): each is a `TrainError` naming the file, and none allocates what its
/// header claims or lets Foundation recurse 10,000 levels.
@Suite struct HostileCheckpointTests {
    static func fixture(_ name: String) -> String { TestPaths.fixture("hostile/" + name) }

    func reason(decoding name: String) throws -> String? {
        let path = Self.fixture("safetensors/" + name)
        do {
            _ = try SafeTensors.decode(FileIO.read(path), path: path)
            Issue.record("expected an error for \(name)")
        } catch let TrainError.corruptCheckpoint(p, reason) {
            #expect(p == path)
            return reason
        }
        return nil
    }

    @Test func safetensorsHeaderLengthOf2To62IsImplausible() throws {
        #expect(try reason(decoding: "huge-header-length.safetensors") == "header length 4611686018427387904 is implausible (limit 104857600)")
    }

    @Test func safetensorsHeaderLengthPastTheFileIsTruncated() throws {
        #expect(try reason(decoding: "header-beyond-file.safetensors") == "truncated: header promises 1000000 bytes but only 8 follow the length")
    }

    @Test func safetensorsDeepHeaderIsRefusedBeforeParsing() throws {
        #expect(try reason(decoding: "deep-header.safetensors") == "header: JSON nesting depth (at byte offset 64) 65 exceeds the limit of 64")
    }

    @Test func safetensorsShapeWhoseProductOverflowsIsLargerThanTheFile() throws {
        #expect(try reason(decoding: "overflow-shape.safetensors") == "tensor t: shape [4611686018427387904, 4] is larger than the file")
    }

    @Test func safetensorsOffsetsPastTheFileAreTruncated() throws {
        #expect(try reason(decoding: "offsets-beyond-file.safetensors")
                == "truncated: tensor t ends at data byte 1000000000000 but the data holds 16 bytes")
    }

    @Test func deepCheckpointJSONIsCorrupt() throws {
        let path = Self.fixture("json/deep-checkpoint/checkpoint.json")
        #expect(throws: TrainError.corruptCheckpoint(path: path, reason: "JSON nesting depth (at byte offset 64) 65 exceeds the limit of 64")) {
            _ = try Checkpoint.loadInfo(from: Self.fixture("json/deep-checkpoint"))
        }
    }

    /// A sparse 17 MiB `checkpoint.json` is refused by its size before it is read.
    @Test func hugeCheckpointJSONIsRefusedByItsSize() throws {
        let folder = try ScratchFolder.make("huge-checkpoint")
        defer { ScratchFolder.remove(folder) }
        let path = folder + "/" + Checkpoint.infoFile
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 17 << 20) == 0)
        #expect(throws: TrainError.corruptCheckpoint(path: path, reason: "JSON document size (bytes) \(17 << 20) exceeds the limit of \(16 << 20)")) {
            _ = try Checkpoint.loadInfo(from: folder)
        }
    }

    @Test func deepModelSpecFileAndInlineJSONAreInvalidSpecs() throws {
        let path = Self.fixture("json/deep-model.json")
        #expect(throws: TrainError.invalidSpec(spec: path, item: "JSON", reason: "JSON nesting depth (at byte offset 64) 65 exceeds the limit of 64")) {
            _ = try ModelSpec.resolve(path)
        }
        let inline = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: TrainError.invalidSpec(spec: "inline JSON", item: "JSON", reason: "JSON nesting depth (at byte offset 64) 65 exceeds the limit of 64")) {
            _ = try ModelSpec.resolve(inline)
        }
    }
}
