import Foundation
import Testing
@testable import DataPrep
import TestSupport

/// The recipes `Tools/make-fixtures/ArchiveFixtures.swift` builds its files from.
enum ArchiveRecipes {
    static let text = (0..<100).map { "line \($0): the quick brown fox jumps over the lazy dog\n" }.joined()
    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0) } }
    static func noise(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(state >> 24)
        }
    }
    static func fixture(_ name: String) -> String { TestPaths.fixture("archives/" + name) }
}

/// A fresh temporary folder per test, removed by the caller's `defer`.
struct TemporaryFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "dataprep-archive-tests-" + UUID().uuidString
        try FileIO.makeDirectories(path)
    }
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = joinPath(path, name)
        try FileIO.writeAtomically(bytes, to: file)
        return file
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The `DataPrepError` that `body` throws, recording an issue when it throws nothing or another type.
func dataPrepError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> DataPrepError? {
    do {
        try body()
        Issue.record("expected a DataPrepError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DataPrepError {
        return error
    } catch {
        Issue.record("expected a DataPrepError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite struct GzipTests {
    @Test(arguments: [0, 1, 100, 65_537, 3 << 20])
    func compressThenDecompressIsExact(size: Int) throws {
        let data = ArchiveRecipes.noise(size / 2) + ArchiveRecipes.pattern(size - size / 2)
        let gz = try Gzip.compress(data)
        #expect(Gzip.isGzip(gz))
        #expect(try Gzip.decompress(gz, name: "mem.gz") == data)
    }

    @Test func compressIsDeterministicWithFixedHeader() throws {
        let data = Array(ArchiveRecipes.text.utf8)
        let a = try Gzip.compress(data)
        #expect(a == (try Gzip.compress(data)))
        #expect(Array(a.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
        #expect(a.littleEndianUInt32(at: a.count - 8) == crc32(data))
        #expect(Int(a.littleEndianUInt32(at: a.count - 4)) == data.count)
    }

    @Test func helloFixtureDecodesToTheKnownText() throws {
        let path = ArchiveRecipes.fixture("hello.txt.gz")
        #expect(try CompressedFile.read(path) == Array(ArchiveRecipes.text.utf8))
        #expect(try Gzip.decompress(FileIO.read(path), name: path) == Array(ArchiveRecipes.text.utf8))
    }

    @Test func multiMemberFileIsTheConcatenation() throws {
        let bytes = try CompressedFile.read(ArchiveRecipes.fixture("multi-member.gz"))
        #expect(bytes == Array("first member\nsecond member\n".utf8))
    }

    @Test func truncatedFileThrowsTruncated() throws {
        let path = ArchiveRecipes.fixture("truncated.gz")
        let size = try FileIO.size(path)
        guard case let .truncated(p, expected, found)? = dataPrepError({ _ = try CompressedFile.read(path) }) else {
            Issue.record("expected .truncated"); return
        }
        #expect(p == path && found == size && expected > found)
    }

    @Test func badCRCThrowsCorruptWithZlibsMessage() throws {
        let path = ArchiveRecipes.fixture("bad-crc.gz")
        guard case let .corrupt(p, offset, reason)? = dataPrepError({ _ = try CompressedFile.read(path) }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(p == path && offset != nil)
        #expect(reason.contains("incorrect data check") && reason.contains("CRC-32"))
    }

    @Test func htmlSavedAsGzIsWrongMagicWithAHint() throws {
        let path = ArchiveRecipes.fixture("html-saved-as.gz")
        for read in [{ _ = try CompressedFile.read(path) }, { _ = try Gzip.decompress(FileIO.read(path), name: path) }] {
            guard case let .wrongMagic(p, _, found, hint)? = dataPrepError(read) else {
                Issue.record("expected .wrongMagic"); return
            }
            #expect(p == path && found == "3c 21 44 4f")
            #expect(hint?.contains("HTML") == true)
        }
    }

    @Test func uncompressedFilePassesThroughAndEmptyFileThrows() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let raw: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1, 42]
        #expect(try CompressedFile.read(folder.write("images-idx3-ubyte.gz", raw)) == raw)
        let empty = try folder.write("empty.gz", [])
        guard case .emptyFile(empty)? = dataPrepError({ _ = try CompressedFile.read(empty) }) else {
            Issue.record("expected .emptyFile"); return
        }
    }

    @Test func trailingZerosAreIgnoredButGarbageIsNot() throws {
        let data = Array("payload\n".utf8)
        let gz = try Gzip.compress(data)
        #expect(try Gzip.decompress(gz + [UInt8](repeating: 0, count: 1000), name: "padded.gz") == data)
        guard case let .corrupt(_, offset, reason)? = dataPrepError({ _ = try Gzip.decompress(gz + [0x41, 0x42], name: "junk.gz") }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(offset == gz.count && reason.contains("member 1"))
    }

    @Test func bombGuardStopsAtSmallLimits() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let gz = try Gzip.compress(zeros)
        let exact = DecompressionLimits(maxOutputBytes: zeros.count, maxRatio: .max, ratioGraceBytes: 0)
        #expect(try Gzip.decompress(gz, name: "zeros.gz", limits: exact) == zeros)

        let small = DecompressionLimits(maxOutputBytes: 1000, maxRatio: .max, ratioGraceBytes: 0)
        guard case let .limitExceeded(_, _, limit, found)? = dataPrepError({ _ = try Gzip.decompress(gz, name: "zeros.gz", limits: small) }) else {
            Issue.record("expected .limitExceeded"); return
        }
        #expect(limit == 1000 && found > 1000)

        let ratio = DecompressionLimits(maxOutputBytes: .max, maxRatio: 100, ratioGraceBytes: 0)
        guard case let .limitExceeded(_, what, ratioLimit, _)? = dataPrepError({ _ = try Gzip.decompress(gz, name: "zeros.gz", limits: ratio) }) else {
            Issue.record("expected .limitExceeded"); return
        }
        #expect(ratioLimit == 100 * gz.count && what.contains("ratio"))
    }

    @Test func lyingTrailerSizeIsOnlyAHint() throws {
        let data = ArchiveRecipes.noise(10_000)
        var gz = try Gzip.compress(data)
        gz.replaceSubrange((gz.count - 4)..<gz.count, with: [0xff, 0xff, 0xff, 0xff])
        guard case let .corrupt(_, _, reason)? = dataPrepError({ _ = try Gzip.decompress(gz, name: "lie.gz") }) else {
            Issue.record("expected .corrupt"); return
        }
        #expect(reason.contains("incorrect length check"))
        // A last member much smaller than the whole output: the buffer grows past the ISIZE hint.
        let big = ArchiveRecipes.pattern(2_000_000)
        let joined = try Gzip.compress(big) + Gzip.compress([7])
        #expect(try Gzip.decompress(joined, name: "grow.gz") == big + [7])
    }

    @Test func realMNISTTrainImages() throws {
        guard let folder = TestPaths.sharedData("mnist") else { return }
        let bytes = try CompressedFile.read(folder + "/train-images-idx3-ubyte.gz")
        #expect(bytes.count == 47_040_016)
        #expect(Array(bytes.prefix(4)) == [0, 0, 8, 3])
    }
}
