import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// `DatasetWriter` on a small hand-built `PreparedDataset`: exact bytes for every format whose
/// layout is specified (NPY, IDX, CIFAR, tar), decode-back for PNG, and reading the folder back.
@Suite struct DatasetWriterTests {
    // MARK: A hand-built dataset

    /// Byte k of sample s (HWC order): distinct across samples and splits.
    static func pixel(_ s: Int, _ k: Int) -> UInt8 { UInt8((s * 40 + k * 13 + 7) % 256) }

    /// train: 3 samples (labels 1, 0, 1), test: 2 samples (labels 0, 1); H 2, W 3.
    static func prepared(channels: Int = 3, normalization: Normalization? = nil) -> PreparedDataset {
        let size = 2 * 3 * channels
        func split(_ samples: [Int], _ labels: [Int32]) -> ImageDataset {
            ImageDataset(height: 2, width: 3, channels: channels, pixels: samples.flatMap { s in (0..<size).map { pixel(s, $0) } },
                         labels: labels, classNames: classNames)
        }
        return PreparedDataset(splits: [("train", split([0, 1, 2], [1, 0, 1])), ("test", split([10, 11], [0, 1]))],
                               classNames: classNames, normalization: normalization, manifest: manifest, seed: 42,
                               command: "dataprep split src --seed 42", source: "src")
    }

    static let classNames = ["cat", "dog"]

    /// One source path holds a comma and a quote, to exercise RFC 4180 quoting.
    static let manifest: [ManifestRow] = [
        ManifestRow(split: "train", index: 0, source: "src/dog.1.jpg", label: 1, className: "dog", sha256: String(repeating: "a", count: 64)),
        ManifestRow(split: "train", index: 1, source: "src/cat,\"odd\".jpg", label: 0, className: "cat", sha256: String(repeating: "b", count: 64)),
        ManifestRow(split: "train", index: 2, source: "src/dog.2.jpg", label: 1, className: "dog", sha256: String(repeating: "c", count: 64)),
        ManifestRow(split: "test", index: 0, source: "src/cat.7.jpg", label: 0, className: "cat", sha256: String(repeating: "d", count: 64)),
        ManifestRow(split: "test", index: 1, source: "src/dog.9.jpg", label: 1, className: "dog", sha256: String(repeating: "e", count: 64)),
    ]

    /// Writes `dataset` into a fresh folder and returns it.
    static func write(_ dataset: PreparedDataset, formats: Set<ExportFormat> = [.npy], shardSize: Int = 1000) throws -> String {
        let folder = try ScratchFolder.make("writer")
        try DatasetWriter(formats: formats, shardSize: shardSize, threads: 2).write(dataset, into: folder)
        return folder
    }

    static func read(_ folder: String, _ path: String) throws -> [UInt8] { try FileIO.read(folder + "/" + path) }

    // MARK: Independent restatements of the file formats

    /// An NPY 1.0 file per numpy.lib.format: `\x93NUMPY`, version 1 0, u16 LE header length, the
    /// dict padded with spaces and ended by `\n` so that 10 + header length is a multiple of 64.
    static func npy(descr: String, shape: [Int], data: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let n = header.utf8.count
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8) + data
    }

    static func littleEndian64(_ values: [Int]) -> [UInt8] {
        values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: Int64(v)) >> (8 * UInt64($0))) } }
    }

    static func bigEndian32(_ values: [Int]) -> [UInt8] {
        values.flatMap { v in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
    }

    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
    }

    // MARK: NPY

    @Test func npyArraysHaveTheSpecifiedHeaderAndData() throws {
        let dataset = Self.prepared()
        let folder = try Self.write(dataset)
        defer { ScratchFolder.remove(folder) }
        for (name, data) in dataset.splits {
            let x = try Self.read(folder, "\(name)/x.npy"), y = try Self.read(folder, "\(name)/y.npy")
            #expect(x == Self.npy(descr: "|u1", shape: [data.count, 2, 3, 3], data: data.pixels), "\(name)/x.npy")
            #expect(y == Self.npy(descr: "<i8", shape: [data.count], data: Self.littleEndian64(data.labels.map(Int.init))), "\(name)/y.npy")
        }
        // Literally: both headers pad to 118 bytes, so data starts at byte 128.
        let x = try Self.read(folder, "train/x.npy")
        #expect(Array(x[0..<10]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 118, 0])
        #expect(String(decoding: x[10..<128], as: UTF8.self)
                == "{'descr': '|u1', 'fortran_order': False, 'shape': (3, 2, 3, 3), }" + String(repeating: " ", count: 52) + "\n")
        #expect(x.count == 128 + 3 * 18)
        let y = try Self.read(folder, "train/y.npy")
        #expect(String(decoding: y[10..<128], as: UTF8.self).hasPrefix("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"))
        #expect(Array(y[128...]) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    }

    /// `--normalize` is metadata: `x.npy` keeps the bytes and `dataset.json` says `uint8` with
    /// the normalization (and its fitted statistics) recorded for the readers.
    @Test func normalizationIsRecordedAndImagesStayBytes() throws {
        let mean: [Float] = [0.5, 0.4, 0.3], std: [Float] = [0.25, 0.2, 0.1]
        for normalization in [Normalization.unit, .standard(mean: mean, std: std)] {
            let dataset = Self.prepared(normalization: normalization)
            let folder = try Self.write(dataset)
            defer { ScratchFolder.remove(folder) }
            for (name, data) in dataset.splits {
                #expect(try Self.read(folder, "\(name)/x.npy") == Self.npy(descr: "|u1", shape: [data.count, 2, 3, 3], data: data.pixels))
            }
            #expect(!FileIO.exists(folder + "/npy-float32"))
            let json = try #require(JSONSerialization.jsonObject(with: Data(Self.read(folder, "dataset.json"))) as? [String: Any])
            #expect(json["dtype"] as? String == "uint8")
            let stored = try #require(json["normalization"] as? [String: Any])
            #expect(stored["kind"] as? String == normalization.name)
            if case .standard = normalization {
                #expect((stored["mean"] as? [Double])?.map(Float.init) == mean)
                #expect((stored["std"] as? [Double])?.map(Float.init) == std)
            }
        }
    }

    /// `npy-float32/SPLIT/x.npy` is float32 (`<f4`) by the formula: `.unit` (also when no
    /// normalization was recorded) is `Float(x) / 255` (NumPy's `a.astype(np.float32) / 255`);
    /// `.standard` is `(x / 255 - mean[c]) / std[c]`, every step in float32. `y.npy` beside it
    /// is `SPLIT/y.npy`.
    @Test func floatExportIsTheFormula() throws {
        let mean: [Float] = [0.5, 0.4, 0.3], std: [Float] = [0.25, 0.2, 0.1]
        for normalization in [nil, Normalization.unit, .standard(mean: mean, std: std)] {
            let dataset = Self.prepared(normalization: normalization)
            let folder = try Self.write(dataset, formats: [.npyFloat32])
            defer { ScratchFolder.remove(folder) }
            for (name, data) in dataset.splits {
                let expected: [Float] = data.pixels.enumerated().map { i, byte in
                    switch normalization {
                    case nil, .unit: return Float(byte) / 255
                    case .standard: return (Float(byte) / 255 - mean[i % 3]) / std[i % 3]
                    }
                }
                let x = try Self.read(folder, "npy-float32/\(name)/x.npy")
                #expect(x == Self.npy(descr: "<f4", shape: [data.count, 2, 3, 3], data: Self.floatBytes(expected)), "\(name)")
                #expect(String(decoding: x[10..<128], as: UTF8.self).hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (\(data.count), 2, 3, 3), }"))
                #expect(try Self.read(folder, "npy-float32/\(name)/y.npy") == Self.read(folder, "\(name)/y.npy"))
                #expect(try Self.read(folder, "\(name)/x.npy") == Self.npy(descr: "|u1", shape: [data.count, 2, 3, 3], data: data.pixels))
            }
            // The export is part of the output: complete, and still ours to replace.
            #expect(SplitOutput.isReplaceable(folder))
            try SplitOutput.verifyComplete(folder)
            // Literally, from NumPy: byte 7 (train sample 0, channel 0) is 0x3CE0E0E1 (0.02745098)
            // as x/255 and 0xBFF1F1F2 (-1.8901961) as (x/255 - 0.5)/0.25.
            let first = try Self.read(folder, "npy-float32/train/x.npy")[128..<132]
            #expect(Array(first) == Self.floatBytes([Float(bitPattern: normalization?.name == "standard" ? 3220304370 : 1021370593)]))
        }
    }

    // MARK: IDX, CIFAR

    @Test func idxFilesHaveMNISTMagicAndBigEndianDims() throws {
        let colour = Self.prepared(), gray = Self.prepared(channels: 1)
        let c = try Self.write(colour, formats: [.idx]), g = try Self.write(gray, formats: [.idx])
        defer { ScratchFolder.remove(c); ScratchFolder.remove(g) }
        // FORMATS.md §c: 0x00000803 = uint8 rank 3 (N, H, W); 0x00000804 rank 4 adds channels; labels 0x00000801.
        #expect(try Self.read(c, "idx/train-images-idx4-ubyte") == [0, 0, 8, 4] + Self.bigEndian32([3, 2, 3, 3]) + colour.splits[0].data.pixels)
        #expect(try Self.read(c, "idx/test-images-idx4-ubyte") == [0, 0, 8, 4] + Self.bigEndian32([2, 2, 3, 3]) + colour.splits[1].data.pixels)
        #expect(try Self.read(g, "idx/train-images-idx3-ubyte") == [0, 0, 8, 3] + Self.bigEndian32([3, 2, 3]) + gray.splits[0].data.pixels)
        #expect(try Self.read(c, "idx/train-labels-idx1-ubyte") == [0, 0, 8, 1] + Self.bigEndian32([3]) + [1, 0, 1])
        #expect(try Self.read(g, "idx/test-labels-idx1-ubyte") == [0, 0, 8, 1] + Self.bigEndian32([2]) + [0, 1])
        #expect(try FileIO.listDirectory(c + "/idx") == ["test-images-idx4-ubyte", "test-labels-idx1-ubyte", "train-images-idx4-ubyte", "train-labels-idx1-ubyte"])
        // And our own IDX reader reads the pair back as the same dataset.
        #expect(try MNISTFolder.loadPair(images: g + "/idx/train-images-idx3-ubyte", labels: g + "/idx/train-labels-idx1-ubyte",
                                         classNames: Self.classNames) == gray.splits[0].data)
    }

    @Test func cifarRecordsAreALabelByteThenChannelPlanes() throws {
        for channels in [3, 1] {
            let dataset = Self.prepared(channels: channels)
            let folder = try Self.write(dataset, formats: [.cifar])
            defer { ScratchFolder.remove(folder) }
            for (name, data) in dataset.splits {
                // FORMATS.md §b: <label><all of channel 0, row-major><channel 1>... (HWC → CHW).
                var expected: [UInt8] = []
                for i in 0..<data.count {
                    expected.append(UInt8(data.labels[i]))
                    for c in 0..<channels {
                        for y in 0..<2 { for x in 0..<3 { expected.append(data.pixels[i * 6 * channels + (y * 3 + x) * channels + c]) } }
                    }
                }
                #expect(try Self.read(folder, "cifar/\(name)_batch.bin") == expected, "\(name), \(channels) channels")
            }
            #expect(try Self.read(folder, "cifar/batches.meta.txt") == Array("cat\ndog\n".utf8))
        }
    }

    @Test func datasetJSONWritesAbsentValuesAsNull() throws {
        let data = ImageDataset(height: 1, width: 1, channels: 1, pixels: [7], labels: [0], classNames: ["a"])
        let dataset = PreparedDataset(splits: [("train", data)], classNames: ["a"], normalization: nil, manifest: [], seed: nil, command: "", source: "")
        let folder = try ScratchFolder.make("writer")
        defer { ScratchFolder.remove(folder) }
        try DatasetWriter(formats: [.npy]).write(dataset, into: folder)
        let text = String(decoding: try Self.read(folder, "dataset.json"), as: UTF8.self)
        // Every key present, so `d["normalization"]` never raises KeyError in a Python reader.
        #expect(text.contains("\"normalization\" : null"))
        #expect(text.contains("\"seed\" : null"))
        #expect(try JSONDecoder().decode(DatasetDescriptor.self, from: Data(text.utf8)).normalization == nil)
    }

    @Test func cifarRefusesMoreThan256Classes() throws {
        let names = (0..<300).map { "c\($0)" }
        let data = ImageDataset(height: 1, width: 1, channels: 1, pixels: [7], labels: [299], classNames: names)
        let dataset = PreparedDataset(splits: [("train", data)], classNames: names, normalization: nil, manifest: [], seed: nil, command: "", source: "")
        let folder = try ScratchFolder.make("writer")
        defer { ScratchFolder.remove(folder) }
        #expect(throws: DataPrepError.unsupported(path: folder + "/cifar", reason: "CIFAR records store the label in one byte; 300 classes do not fit")) {
            try DatasetWriter(formats: [.cifar]).write(dataset, into: folder)
        }
    }

    // MARK: PNG, WebDataset

    @Test func pngTreeDecodesBackToTheExactPixels() throws {
        let dataset = Self.prepared()
        let folder = try Self.write(dataset, formats: [.png])
        defer { ScratchFolder.remove(folder) }
        // train labels 1, 0, 1 → dog/000000, cat/000001, dog/000002; test 0, 1 → cat/000000, dog/000001.
        #expect(try FileIO.listDirectory(folder + "/png/train/cat") == ["000001.png"])
        #expect(try FileIO.listDirectory(folder + "/png/train/dog") == ["000000.png", "000002.png"])
        #expect(try FileIO.listDirectory(folder + "/png/test/cat") == ["000000.png"])
        #expect(try FileIO.listDirectory(folder + "/png/test/dog") == ["000001.png"])
        for (name, data) in dataset.splits {
            for i in 0..<data.count {
                let path = folder + "/png/\(name)/\(Self.classNames[Int(data.labels[i])])/" + DatasetWriter.key(i) + ".png"
                #expect(try PNG.decode(contentsOf: path) == data.image(at: i), "\(path)")
            }
        }
    }

    @Test func webDatasetShardsHoldKeyPngAndKeyClsInSampleOrder() throws {
        let dataset = Self.prepared(channels: 1)
        let folder = try Self.write(dataset, formats: [.wds], shardSize: 2)
        defer { ScratchFolder.remove(folder) }
        // 3 train samples at 2 per shard → 2 shards; 2 test samples → 1.
        #expect(try FileIO.listDirectory(folder + "/wds") == ["test-000000.tar", "train-000000.tar", "train-000001.tar"])
        var seen: [String: (png: Image?, cls: String?)] = [:]
        var order: [String] = []
        for shard in ["train-000000.tar", "train-000001.tar", "test-000000.tar"] {
            var reader = try TarReader(path: folder + "/wds/" + shard)
            try reader.forEach { entry, bytes in
                order.append(shard + ":" + entry.path)
                let key = String(entry.path.prefix { $0 != "." })
                if entry.path.hasSuffix(".png") { seen[key, default: (nil, nil)].png = try PNG.decode(bytes, name: entry.path) }
                if entry.path.hasSuffix(".cls") { seen[key, default: (nil, nil)].cls = String(decoding: bytes, as: UTF8.self) }
            }
        }
        #expect(order == ["train-000000.tar:train_000000.png", "train-000000.tar:train_000000.cls",
                          "train-000000.tar:train_000001.png", "train-000000.tar:train_000001.cls",
                          "train-000001.tar:train_000002.png", "train-000001.tar:train_000002.cls",
                          "test-000000.tar:test_000000.png", "test-000000.tar:test_000000.cls",
                          "test-000000.tar:test_000001.png", "test-000000.tar:test_000001.cls"])
        for (name, data) in dataset.splits {
            for i in 0..<data.count {
                let key = "\(name)_" + DatasetWriter.key(i)
                #expect(seen[key]?.png == data.image(at: i), "\(key).png")
                #expect(seen[key]?.cls == "\(data.labels[i])", "\(key).cls")
            }
        }
    }

    // MARK: Side files

    @Test func classesAndManifestFiles() throws {
        let dataset = Self.prepared()
        let folder = try Self.write(dataset)
        defer { ScratchFolder.remove(folder) }
        #expect(try Self.read(folder, "classes.txt") == Array("cat\ndog\n".utf8))
        // RFC 4180: a field with a comma or quote is quoted, its quotes doubled.
        let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64), c = String(repeating: "c", count: 64)
        let d = String(repeating: "d", count: 64), e = String(repeating: "e", count: 64)
        #expect(String(decoding: try Self.read(folder, "manifest.csv"), as: UTF8.self) == """
            split,index,source,label,class,sha256
            train,0,src/dog.1.jpg,1,dog,\(a)
            train,1,"src/cat,""odd"".jpg",0,cat,\(b)
            train,2,src/dog.2.jpg,1,dog,\(c)
            test,0,src/cat.7.jpg,0,cat,\(d)
            test,1,src/dog.9.jpg,1,dog,\(e)

            """)
        let document = try JSONDecoder().decode(Manifest.Document.self, from: Data(Self.read(folder, "manifest.json")))
        #expect(document == Manifest.Document(seed: 42, command: "dataprep split src --seed 42", source: "src",
                                              classNames: Self.classNames, samples: Self.manifest))
    }

    @Test func datasetJSONDescribesTheArrays() throws {
        let folder = try Self.write(Self.prepared())
        defer { ScratchFolder.remove(folder) }
        let bytes = try Self.read(folder, "dataset.json")
        let json = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(json["format"] as? String == "dataprep-dataset" && json["version"] as? Int == 1)
        #expect(json["height"] as? Int == 2 && json["width"] as? Int == 3 && json["channels"] as? Int == 3)
        #expect(json["dtype"] as? String == "uint8")
        #expect(json["classNames"] as? [String] == ["cat", "dog"])
        #expect(json["seed"] as? Int == 42 && json["command"] as? String == "dataprep split src --seed 42")
        let splits = try #require(json["splits"] as? [[String: Any]])
        #expect(splits.map { $0["name"] as? String } == ["train", "test"])
        #expect(splits.map { $0["count"] as? Int } == [3, 2])
        #expect(splits.map { $0["x"] as? String } == ["train/x.npy", "test/x.npy"])
        #expect(splits.map { $0["y"] as? String } == ["train/y.npy", "test/y.npy"])
        #expect(splits.map { $0["histogram"] as? [Int] } == [[1, 2], [1, 1]])
        // Stable: sorted keys, ends in a newline; and the descriptor decodes to what was written.
        #expect(bytes.last == 0x0A)
        #expect(try JSONDecoder().decode(DatasetDescriptor.self, from: Data(bytes)) == Self.prepared().descriptor)
    }

    /// Every file written, and nothing else (no temp files left behind).
    @Test func folderHoldsExactlyTheExpectedFiles() throws {
        let folder = try Self.write(Self.prepared(), formats: Set(ExportFormat.allCases), shardSize: 2)
        defer { ScratchFolder.remove(folder) }
        #expect(Set(try ScratchFolder.digests(folder).keys) == [
            "dataset.json", "classes.txt", "manifest.csv", "manifest.json",
            "train/x.npy", "train/y.npy", "test/x.npy", "test/y.npy",
            "npy-float32/train/x.npy", "npy-float32/train/y.npy", "npy-float32/test/x.npy", "npy-float32/test/y.npy",
            "idx/train-images-idx4-ubyte", "idx/train-labels-idx1-ubyte", "idx/test-images-idx4-ubyte", "idx/test-labels-idx1-ubyte",
            "cifar/train_batch.bin", "cifar/test_batch.bin", "cifar/batches.meta.txt",
            "png/train/dog/000000.png", "png/train/cat/000001.png", "png/train/dog/000002.png",
            "png/test/cat/000000.png", "png/test/dog/000001.png",
            "wds/train-000000.tar", "wds/train-000001.tar", "wds/test-000000.tar",
        ])
    }

    // MARK: Reading back

    @Test func writtenFolderReadsBackAsTheSameBytesAndLabels() throws {
        // Standard normalisation fitted on these very bytes, plus a gray set with all 256 byte
        // values and an extreme mean/std: the bytes and the recorded normalization come back, and
        // so they do from the float32 x.npy of earlier versions (`LegacyFloatOutput`).
        let allBytes = ImageDataset(height: 16, width: 16, channels: 1, pixels: (0..<256).map { UInt8($0) }, labels: [1], classNames: Self.classNames)
        let grayAll = PreparedDataset(splits: [("train", allBytes)], classNames: Self.classNames, normalization: nil, manifest: [],
                                      seed: nil, command: "", source: "")
        var cases: [PreparedDataset] = [Self.prepared(), Self.prepared(normalization: .unit),
                                        Self.prepared(normalization: Normalization.fitStandard(pixels: Self.prepared().splits[0].data.pixels, channels: 3))]
        for normalization in [Normalization.unit, .standard(mean: [0.5], std: [0.004]), .standard(mean: [0.9], std: [3])] {
            var d = grayAll
            d.normalization = normalization
            cases.append(d)
        }
        for dataset in cases {
            let folder = try Self.write(dataset, formats: [.npyFloat32])
            defer { ScratchFolder.remove(folder) }
            for legacy in dataset.normalization == nil ? [false] : [false, true] {
                if legacy { try LegacyFloatOutput.convert(folder) }
                let output = try #require(try SplitOutput(folder: folder))
                #expect(output.descriptor.dtype == (legacy ? "float32" : "uint8"))
                let loaded = try output.load()
                #expect(loaded.format == "dataprep-dataset")
                #expect(loaded.normalization == dataset.normalization)
                #expect(loaded.splits.splits.map(\.name) == dataset.splits.map(\.name))
                for (got, want) in zip(loaded.splits.splits, dataset.splits) {
                    #expect(got.data == want.data, "\(String(describing: dataset.normalization)) \(want.name) legacy \(legacy)")
                    #expect(got.data.storage.isMapped == !legacy)
                }
                // The generic loader recognises the folder too.
                #expect(try LoadedDataset.load(path: folder).splits == loaded.splits)
            }
        }
    }

    @Test func aDescriptionPointingOutsideTheFolderIsRefused() throws {
        let folder = try Self.write(Self.prepared())
        defer { ScratchFolder.remove(folder) }
        var descriptor = Self.prepared().descriptor
        descriptor.splits[0].x = "../elsewhere/x.npy"
        try FileIO.writeAtomically(Array(try JSONEncoder().encode(descriptor)), to: folder + "/dataset.json")
        #expect(throws: DataPrepError.unsafeArchiveEntry(archive: folder + "/dataset.json", entry: "../elsewhere/x.npy",
                                                         reason: "dataset files must stay inside the dataset folder")) {
            try SplitOutput(folder: folder)?.load()
        }
    }

    /// A hand-edited `dataset.json` is a typed error when opened, never a trap while reading.
    @Test func aDescriptionWithAnImpossibleShapeOrNormalizationIsRefused() throws {
        let folder = try Self.write(Self.prepared(normalization: .unit))
        defer { ScratchFolder.remove(folder) }
        let path = folder + "/dataset.json"
        var twoChannels = Self.prepared().descriptor
        twoChannels.channels = 2
        try FileIO.writeAtomically(Array(try JSONEncoder().encode(twoChannels)), to: path)
        #expect(throws: DataPrepError.inconsistent(path: path, reason: "image shape 2x3x2 must be positive with 1, 3 or 4 channels")) {
            try SplitOutput(folder: folder)
        }
        var narrow = Self.prepared(normalization: .standard(mean: [0.5], std: [0.2])).descriptor
        narrow.dtype = "float32"
        try FileIO.writeAtomically(Array(try JSONEncoder().encode(narrow)), to: path)
        #expect(throws: DataPrepError.inconsistent(path: path, reason: "standard normalization has 1 means for 3 channels")) {
            try SplitOutput(folder: folder)
        }
    }
}

/// `SplitJob` from a fixture source to a written folder: counts, provenance, normalisation and
/// byte-for-byte reproducibility.
@Suite struct SplitJobEndToEndTests {
    static let mnist = TestPaths.fixture("idx/mnist")
    static let kaggle = TestPaths.fixture("collections/kaggle")

    /// Fixtures/README.md, idx/: pixel (y, x) of image i is `(i*31 + y*7 + x*3) % 256`; the
    /// train file holds i = 0..<20 with label j % 10, the test file i = 100..<110 with label
    /// (j + 3) % 10, j being the record's position in its file.
    static func mnistRecord(_ source: String) -> (pixels: [UInt8], label: Int)? {
        let parts = source.split(separator: "#")
        guard parts.count == 2, let j = Int(parts[1]) else { return nil }
        let (i, label) = parts[0] == "train-images-idx3-ubyte.gz" ? (j, j % 10) : parts[0] == "t10k-images-idx3-ubyte" ? (100 + j, (j + 3) % 10) : (-1, -1)
        guard i >= 0 else { return nil }
        return ((0..<28).flatMap { y in (0..<28).map { x in UInt8((i * 31 + y * 7 + x * 3) % 256) } }, label)
    }

    static func job(_ source: String = mnist, spec: SplitSpec, seed: UInt64, threads: Int = 2, size: (Int, Int)? = nil,
                    normalize: SplitJob.NormalizeMode? = nil, dedupe: Bool = false, from: [String]? = nil) -> SplitJob {
        SplitJob(source: source, spec: spec, seed: seed, fromSplits: from,
                 load: .init(size: size, threads: threads), dedupe: dedupe, normalize: normalize, command: "test")
    }

    /// Prepares and writes `job` (every format) into a fresh folder; returns the folder's file digests.
    static func writtenDigests(_ job: SplitJob, threads: Int) throws -> [String: String] {
        let folder = try ScratchFolder.make("splitjob")
        defer { ScratchFolder.remove(folder) }
        let staged = try StagedDirectory(finalPath: folder + "/out") { _ in false }
        try DatasetWriter(formats: Set(ExportFormat.allCases), shardSize: 3, threads: threads).write(job.prepare().prepared, into: staged.stagingPath)
        try staged.commit()
        return try ScratchFolder.digests(folder + "/out")
    }

    @Test func perClassCountsAndManifestRowsPointToTheirSources() throws {
        let result = try Self.job(spec: SplitSpec(sizes: .perClass([1, 1, 1])), seed: 5).prepare()
        let prepared = result.prepared
        #expect(prepared.splits.map(\.name) == ["train", "val", "test"])
        // 30 images, 3 per digit: one of each digit per split.
        for (_, data) in prepared.splits { #expect(data.classHistogram == [Int](repeating: 1, count: 10)) }
        #expect(result.report.splits.map(\.count) == [10, 10, 10])
        #expect(result.report.duplicateGroups == 0 && result.report.format == "idx-folder" && result.report.seed == 5)
        #expect(prepared.manifest.count == 30)
        #expect(Set(prepared.manifest.map(\.source)).count == 30)   // every source used once
        for row in prepared.manifest {
            let (name, data) = try #require(prepared.splits.first { $0.name == row.split })
            let record = try #require(Self.mnistRecord(row.source), "\(row.source)")
            #expect(Array(data.image(at: row.index).pixels) == record.pixels, "\(name) #\(row.index) ← \(row.source)")
            #expect(Int(data.labels[row.index]) == record.label && row.label == record.label && row.className == "\(record.label)")
            #expect(row.sha256 == SHA256.hexHash(record.pixels))
        }
        #expect(prepared.manifest.map(\.split) == [String](repeating: "train", count: 10) + [String](repeating: "val", count: 10)
                + [String](repeating: "test", count: 10))
        #expect(prepared.manifest.map(\.index) == Array(0..<10) + Array(0..<10) + Array(0..<10))
    }

    /// Collections: the manifest names the file, its SHA-256 is the file's, and the sample is
    /// the file decoded and resized (as `CollectionLoadingTests` checks for loading).
    @Test func collectionManifestRowsNameTheFileTheyCameFrom() throws {
        let result = try Self.job(Self.kaggle, spec: SplitSpec(sizes: .perClass([2, 1, 1])), seed: 8, size: (8, 6)).prepare()
        // Fixtures/README.md: 8 decodable photos, 4 cats and 4 dogs; notes.txt and dog.4.jpg skipped.
        #expect(result.prepared.splits.map { $0.data.classHistogram } == [[2, 2], [1, 1], [1, 1]])
        #expect(result.report.skipped.map { lastPathComponent($0.path) } == ["notes.txt", "dog.4.jpg"])
        for row in result.prepared.manifest {
            let data = try #require(result.prepared.splits.first { $0.name == row.split }).data
            let bytes = try FileIO.read(row.source)
            #expect(row.source.hasPrefix(Self.kaggle + "/"))
            #expect(row.sha256 == SHA256.hexHash(bytes))
            #expect(row.label == (lastPathComponent(row.source).hasPrefix("cat.") ? 0 : 1) && row.className == ["cat", "dog"][row.label])
            let expected = try ImageFile.decode(bytes, name: row.source, color: .rgb, minimumSize: (8, 6)).resized(width: 8, height: 6, filter: .area)
            #expect(data.image(at: row.index) == expected, "\(row.source)")
        }
    }

    @Test func standardNormalizationIsFittedOnTheTrainSplitOnly() throws {
        let result = try Self.job(spec: SplitSpec(sizes: .perClass([1, 1, 1])), seed: 5, normalize: .standard).prepare()
        let train = try #require(result.prepared.splits.first { $0.name == "train" }).data.pixels
        // By hand, in Double, two passes: mean of x/255 and population std.
        func stats(_ bytes: [UInt8]) -> (Double, Double) {
            let mean = bytes.reduce(0.0) { $0 + Double($1) / 255 } / Double(bytes.count)
            let variance = bytes.reduce(0.0) { $0 + (Double($1) / 255 - mean) * (Double($1) / 255 - mean) } / Double(bytes.count)
            return (mean, variance.squareRoot())
        }
        let (mean, std) = stats(train)
        guard case let .standard(fittedMean, fittedStd) = result.prepared.normalization else {
            Issue.record("expected standard normalization, got \(String(describing: result.prepared.normalization))"); return
        }
        #expect(abs(Double(fittedMean[0]) - mean) < 1e-6 && abs(Double(fittedStd[0]) - std) < 1e-6, "\(fittedMean) \(fittedStd) vs \(mean) \(std)")
        #expect(result.report.normalization == result.prepared.normalization)
        // Fitting on every split would give other numbers: the check above can tell them apart.
        let (allMean, _) = stats(result.prepared.splits.flatMap(\.data.pixels))
        #expect(abs(allMean - mean) > 1e-4)

        let folder = try ScratchFolder.make("splitjob")
        defer { ScratchFolder.remove(folder) }
        try DatasetWriter(formats: [.npyFloat32], threads: 2).write(result.prepared, into: folder)
        #expect(try SplitOutput(folder: folder)?.descriptor.normalization == result.prepared.normalization)
        for (name, data) in result.prepared.splits {
            let x = try NPYArray(contentsOf: folder + "/\(name)/x.npy")
            #expect(x.dtype == .uint8 && x.shape == [10, 28, 28, 1] && x.data == data.pixels)
            let floats = try NPYArray(contentsOf: folder + "/npy-float32/\(name)/x.npy")
            #expect(floats.dtype == .float32 && floats.shape == [10, 28, 28, 1])
            #expect(floats.floatValues == data.pixels.map { (Float($0) / 255 - fittedMean[0]) / fittedStd[0] }, "\(name)")
        }
    }

    @Test func sameSeedGivesAByteIdenticalFolderAnotherSeedDoesNot() throws {
        let spec = try SplitSpec(sizes: .ratios([0.5, 0.25, 0.25]))
        let first = try Self.writtenDigests(Self.job(spec: spec, seed: 123), threads: 2)
        // 3 per digit × (0.5, 0.25, 0.25) → 1, 1, 1: three splits of 10. Files: 6 npy, 6 more
        // in npy-float32, 4 side files, 6 idx, 3 cifar + meta, 30 png, and 4 shards of ≤ 3
        // samples per split.
        #expect(first.count == 6 + 6 + 4 + 6 + 4 + 30 + 12)
        #expect(try Self.writtenDigests(Self.job(spec: spec, seed: 123), threads: 2) == first)
        let other = try Self.writtenDigests(Self.job(spec: spec, seed: 124), threads: 2)
        #expect(other["train/x.npy"] != first["train/x.npy"] && other["manifest.csv"] != first["manifest.csv"])
        #expect(other["classes.txt"] == first["classes.txt"])
    }

    @Test func threadCountDoesNotChangeAByte() throws {
        for (source, spec, size) in [(Self.mnist, try SplitSpec(sizes: .perClass([2, 1])), nil as (Int, Int)?),
                                     (Self.kaggle, try SplitSpec(sizes: .ratios([0.5, 0.5])), (8, 6))] {
            let one = try Self.writtenDigests(Self.job(source, spec: spec, seed: 9, threads: 1, size: size), threads: 1)
            let two = try Self.writtenDigests(Self.job(source, spec: spec, seed: 9, threads: 2, size: size), threads: 2)
            #expect(one == two, "\(source)")
            #expect(!one.isEmpty)
        }
    }

    /// A source with known duplicates (a written split folder): reported, leaked across splits
    /// without `dedupe`, and with it every extra copy left out.
    @Test func duplicatesAreReportedAndDedupeLeavesOneCopy() throws {
        // 12 samples of 2 classes; 1 and 7 copy 0 (class 0); 11 copies 4 (class 1 vs class 0: conflicting).
        var images = (0..<12).map { s in (0..<4).map { UInt8(s * 16 + $0) } }
        images[1] = images[0]; images[7] = images[0]; images[11] = images[4]
        let labels: [Int32] = [0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1]
        let data = ImageDataset(height: 2, width: 2, channels: 1, pixels: images.flatMap { $0 }, labels: labels, classNames: ["a", "b"])
        let source = try ScratchFolder.make("dupes")
        defer { ScratchFolder.remove(source) }
        try DatasetWriter().write(PreparedDataset(splits: [("train", data)], classNames: ["a", "b"], normalization: nil, manifest: [],
                                                  seed: nil, command: "", source: ""), into: source)

        let spec = try SplitSpec(sizes: .ratios([0.5, 0.5]))
        let kept = try Self.job(source, spec: spec, seed: 1).prepare()
        #expect(kept.report.duplicateGroups == 2 && kept.report.duplicatesWithConflictingLabels == 1 && kept.report.duplicatesRemoved == 0)
        #expect(kept.prepared.splits.map(\.data.count).reduce(0, +) == 12)
        let deduped = try Self.job(source, spec: spec, seed: 1, dedupe: true).prepare()
        #expect(deduped.report.duplicatesRemoved == 3 && deduped.report.duplicatesAcrossSplits == 0)
        #expect(deduped.report.duplicateExamples == [["train/x.npy#0", "train/x.npy#1", "train/x.npy#7"], ["train/x.npy#4", "train/x.npy#11"]])
        let sources = deduped.prepared.manifest.map(\.source)
        #expect(sources.count == 9 && Set(sources).isDisjoint(with: ["train/x.npy#1", "train/x.npy#7", "train/x.npy#11"]))
        let pixels = deduped.prepared.splits.flatMap { split in (0..<split.data.count).map { split.data.image(at: $0).pixels } }
        #expect(Set(pixels).count == 9)   // no image twice
    }

    @Test func fromChoosesSourceSplitsAndAnUnknownOneIsNamed() throws {
        let spec = try SplitSpec(sizes: .perClass([1]))
        let onlyTest = try Self.job(spec: spec, seed: 2, from: ["test"]).prepare()
        #expect(onlyTest.prepared.manifest.allSatisfy { $0.source.hasPrefix("t10k-images-idx3-ubyte#") })
        #expect(onlyTest.prepared.splits[0].data.count == 10)
        #expect(throws: SplitError.invalidSpec("the source has no split 'val' (it has train, test)")) {
            try Self.job(spec: spec, seed: 2, from: ["val"]).prepare()
        }
    }
}
