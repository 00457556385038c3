import Testing
import TestSupport
@testable import DataPrep

/// IDX decoding against the fixture formulas in `Tools/make-fixtures/TensorFixtures.swift`.
@Suite struct IDXTests {
    static func mnistPixel(_ i: Int, _ y: Int, _ x: Int) -> UInt8 { UInt8((i * 31 + y * 7 + x * 3) % 256) }

    @Test func everyDataTypeDecodesExactly() throws {
        let u8 = try IDXArray(contentsOf: TestPaths.fixture("idx/dtypes/uint8-rank1.idx"))
        #expect(u8.shape == [4] && u8.storage == .uint8([0, 1, 254, 255]))
        let i8 = try IDXArray(contentsOf: TestPaths.fixture("idx/dtypes/int8-rank2.idx"))
        #expect(i8.shape == [2, 2] && i8.storage == .int8([-128, -1, 0, 127]))
        let i16 = try IDXArray(contentsOf: TestPaths.fixture("idx/dtypes/int16-rank3.idx"))
        #expect(i16.shape == [2, 1, 2] && i16.storage == .int16([-32768, -2, 258, 32767]))
        let i32 = try IDXArray(contentsOf: TestPaths.fixture("idx/dtypes/int32-rank4.idx"))
        #expect(i32.shape == [1, 2, 1, 2] && i32.storage == .int32([Int32.min, -65536, 16_909_060, Int32.max]))
        let f32 = try IDXArray(contentsOf: TestPaths.fixture("idx/dtypes/float32-rank2.idx"))
        #expect(f32.shape == [1, 3] && f32.storage == .float32([-1.5, 0.25, 3.0e38]))
        let f64 = try IDXArray(contentsOf: TestPaths.fixture("idx/dtypes/float64-rank1.idx"))
        #expect(f64.shape == [2] && f64.storage == .float64([-0.1, 1e300]))
        let gz = try IDXArray(contentsOf: TestPaths.fixture("idx/dtypes/int16-rank3.idx.gz"))
        #expect(gz == i16)
    }

    /// Known bytes: int16 258 is stored big-endian as 01 02 right after the 16-byte header.
    @Test func bytesAreBigEndianOnDisk() throws {
        let bytes = try FileIO.read(TestPaths.fixture("idx/dtypes/int16-rank3.idx"))
        #expect(Array(bytes.prefix(4)) == [0, 0, 0x0B, 3])
        #expect(Array(bytes[16..<24]) == [0x80, 0x00, 0xFF, 0xFE, 0x01, 0x02, 0x7F, 0xFF])
    }

    @Test func encodeIsTheInverseOfDecode() throws {
        for name in ["uint8-rank1", "int8-rank2", "int16-rank3", "int32-rank4", "float32-rank2", "float64-rank1"] {
            let path = TestPaths.fixture("idx/dtypes/\(name).idx")
            #expect(try IDXArray(contentsOf: path).encoded() == FileIO.read(path), "\(name)")
        }
    }

    @Test func mnistFolderDecodesBothSplits() throws {
        let folder = try #require(MNISTFolder(path: TestPaths.fixture("idx/mnist")))
        let data = try folder.load()
        #expect(data.splits.map(\.name) == ["train", "test"])
        let train = try #require(data["train"]), test = try #require(data["test"])
        #expect(train.count == 20 && test.count == 10)
        #expect(train.height == 28 && train.width == 28 && train.channels == 1)
        #expect(train.labels == (0..<20).map { Int32($0 % 10) })
        #expect(test.labels == (0..<10).map { Int32(($0 + 3) % 10) })
        #expect(train.classNames == (0...9).map(String.init))
        #expect(train.pixels[784 * 7 + 28 * 5 + 11] == Self.mnistPixel(7, 5, 11))
        #expect(test.pixels[784 * 2 + 28 * 27 + 27] == Self.mnistPixel(102, 27, 27))
        #expect(train.classHistogram == [Int](repeating: 2, count: 10))
    }

    @Test func fashionFolderNameGivesFashionClassNames() throws {
        let data = try #require(MNISTFolder(path: TestPaths.fixture("idx/fashion-mnist"))).load()
        #expect(data["train"]?.classNames.first == "T-shirt/top")
        #expect(data["train"]?.classNames.last == "Ankle boot")
    }

    @Test func corruptFilesThrowTheirSpecificError() {
        func decode(_ name: String) throws { _ = try IDXArray(contentsOf: TestPaths.fixture("idx/corrupt/\(name)")) }
        let dir = TestPaths.fixture("idx/corrupt/")
        #expect(throws: DataPrepError.emptyFile(path: dir + "zero-byte.idx")) { try decode("zero-byte.idx") }
        #expect(throws: DataPrepError.wrongMagic(path: dir + "wrong-magic.idx", expected: "IDX magic 00 00 <type> <rank>",
                                                 found: "01 02 08 01", hint: nil)) { try decode("wrong-magic.idx") }
        #expect(throws: DataPrepError.badHeader(path: dir + "bad-dtype.idx", offset: 2, field: "data type",
                                                expected: "one of 0x08 0x09 0x0b 0x0c 0x0d 0x0e", found: "0x0a")) { try decode("bad-dtype.idx") }
        #expect(throws: DataPrepError.badHeader(path: dir + "rank-zero.idx", offset: 3, field: "rank", expected: "1...4", found: "0")) {
            try decode("rank-zero.idx")
        }
        #expect(throws: DataPrepError.badHeader(path: dir + "rank-five.idx", offset: 3, field: "rank", expected: "1...4", found: "5")) {
            try decode("rank-five.idx")
        }
        #expect(throws: DataPrepError.truncated(path: dir + "truncated-header.idx", expected: 16, found: 6)) { try decode("truncated-header.idx") }
        #expect(throws: DataPrepError.truncated(path: dir + "truncated-payload.idx", expected: 16 + 3 * 784, found: 16 + 3 * 784 - 100)) {
            try decode("truncated-payload.idx")
        }
        // 60000 x 28 x 28 claimed, two images present: reported, never allocated.
        #expect(throws: DataPrepError.truncated(path: dir + "lying-header.idx", expected: 47_040_016, found: 16 + 2 * 784)) {
            try decode("lying-header.idx")
        }
        #expect(throws: DataPrepError.sizeMismatch(path: dir + "trailing-bytes.idx", expected: "18 bytes (8-byte header + 10 x 1)",
                                                   found: 20, hint: "2 bytes follow the data")) { try decode("trailing-bytes.idx") }
    }

    @Test func overflowingDimensionsAreRejectedBeforeAllocating() {
        do {
            _ = try IDXArray(contentsOf: TestPaths.fixture("idx/corrupt/overflow-dims.idx"))
            Issue.record("expected an error")
        } catch let DataPrepError.badHeader(_, offset, field, _, _) {
            #expect(field.hasPrefix("dimension") && offset >= 4)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func textSavedAsGzipIsExplained() {
        do {
            _ = try IDXArray(contentsOf: TestPaths.fixture("idx/corrupt/html-saved-as.gz"))
            Issue.record("expected an error")
        } catch let DataPrepError.wrongMagic(path, _, _, hint) {
            #expect(path.hasSuffix("html-saved-as.gz"))
            #expect(hint?.contains("HTML page") == true)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func truncatedGzipIsAnError() {
        #expect(throws: DataPrepError.self) { try IDXArray(contentsOf: TestPaths.fixture("idx/corrupt/truncated.idx.gz")) }
    }

    @Test func folderConsistencyIsChecked() throws {
        let mismatch = try #require(MNISTFolder(path: TestPaths.fixture("idx/mismatch")))
        #expect(throws: DataPrepError.inconsistent(path: TestPaths.fixture("idx/mismatch/train-labels-idx1-ubyte"),
                                                   reason: "4 labels for 5 images in \(TestPaths.fixture("idx/mismatch/train-images-idx3-ubyte"))")) {
            try mismatch.load()
        }
        let floats = try #require(MNISTFolder(path: TestPaths.fixture("idx/float-labels")))
        #expect(throws: DataPrepError.self) { try floats.load() }
    }
}
