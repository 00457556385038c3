/// Writes a `PreparedDataset` into a folder: `dataset.json`, `classes.txt`, the manifest
/// (`manifest.csv`, `manifest.json`), the npy arrays, and the extra formats asked for.
///
/// Output bytes depend only on the prepared data: encoders are deterministic (fixed PNG
/// settings, tar entries with zero timestamps, sorted JSON keys), and parallel encoding lands
/// every result at its own index.
///
/// Memory is bounded by a chunk, never a split: `x.npy` and IDX images are written straight
/// from the dataset's pixels; float32, CIFAR records, PNG files and WebDataset shards are made
/// `chunkSamples` samples at a time (PNGs encoded in parallel within a chunk) and written
/// before the next chunk is made. The bytes do not depend on the chunk size.
///
/// A write can be shared by several processes over one filesystem (the ranks of an MPI job):
/// one `stage`s the folder, each writes its `WriteShare` of the arrays (`writeArrays`) and of
/// the formats made sample by sample (`writeShare`), one writes the record formats, and once
/// all succeeded one writes the manifest. The bytes are the single process's whatever the count.
public struct DatasetWriter: Sendable {
    public var formats: Set<ExportFormat>
    /// Samples per WebDataset shard.
    public var shardSize: Int
    public var threads: Int
    /// Samples per chunk of the streamed exports; nil sizes a chunk to about `chunkBytes` of
    /// output per format (at least one sample).
    public var chunkSamples: Int?
    /// Called with (samples written, total) from the writing thread.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// The output bytes one chunk aims at when `chunkSamples` is nil: large enough that
    /// per-chunk costs vanish and both threads stay busy encoding, small beside any dataset.
    static let chunkBytes = 32 << 20

    public init(formats: Set<ExportFormat> = [.npy], shardSize: Int = 1000, threads: Int = Parallel.defaultThreads,
                chunkSamples: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        precondition(shardSize > 0, "shard size must be positive")
        precondition(chunkSamples.map { $0 > 0 } ?? true, "chunk size must be positive, got \(String(describing: chunkSamples))")
        self.formats = formats.union([.npy]); self.shardSize = shardSize; self.threads = threads
        self.chunkSamples = chunkSamples; self.progress = progress
    }

    /// Writes into the existing, empty folder `folder` (normally a `StagedDirectory`'s staging path):
    /// `stage`, then the whole of every part (`writeArrays`, `writeRecordFormats`,
    /// `writeShare`), then `writeManifest`, the order a write shared by several processes keeps.
    public func write(_ dataset: PreparedDataset, into folder: String) throws {
        try stage(dataset, into: folder)
        let total = samplesToWrite(dataset.splits, share: .whole, arrays: .whole)
        var done = 0
        func advance(_ n: Int) { done += n; progress?(done, total) }
        try writeArrays(dataset.splits, into: folder, share: .whole, advance: advance)
        try writeRecordFormats(dataset, into: folder)
        try writeShare(of: dataset.splits, classNames: dataset.classNames, normalization: dataset.normalization,
                       into: folder, share: .whole, advance: advance)
        try writeManifest(dataset, into: folder)
    }

    /// The first step of a write, by one process: every folder of the output, and every
    /// `.npy` file with its header, sized for all its samples, so the writers of the samples
    /// (one or several processes, `WriteShare`) only fill their ranges in place and never make
    /// a folder (one whose staging folder was removed under it fails instead of recreating it).
    public func stage(_ dataset: PreparedDataset, into folder: String) throws {
        for (name, data) in dataset.splits {
            try Self.stageArrays(data, in: Self.arrayFolder(folder, split: name, floats: false), floats: false)
            if formats.contains(.npyFloat32) { try Self.stageArrays(data, in: Self.arrayFolder(folder, split: name, floats: true), floats: true) }
            if formats.contains(.png) {
                let dir = joinPath(joinPath(folder, ExportFormat.png.rawValue), name)
                for className in Set(dataset.classNames.map(Self.safeFolderName)) { try FileIO.makeDirectories(joinPath(dir, className)) }
            }
        }
        if formats.contains(.wds) { try FileIO.makeDirectories(joinPath(folder, ExportFormat.wds.rawValue)) }
    }

    /// `share`'s samples of every split's `x.npy` and `y.npy`, in place in the staged files.
    public func writeArrays(_ splits: [(name: String, data: ImageDataset)], into folder: String, share: WriteShare,
                            advance: (Int) -> Void = { _ in }) throws {
        for (name, data) in splits {
            let range = share.range(of: data.count)
            try writeArrays(data, samples: range, into: Self.arrayFolder(folder, split: name, floats: false))
            advance(range.count)
        }
    }

    /// The IDX and CIFAR exports asked for, whole: straight copies of the pixels (CIFAR
    /// transposed to planes), written by one process.
    public func writeRecordFormats(_ dataset: PreparedDataset, into folder: String) throws {
        if formats.contains(.idx) { try writeIDX(dataset, into: joinPath(folder, "idx")) }
        if formats.contains(.cifar) { try writeCIFAR(dataset, into: joinPath(folder, "cifar")) }
    }

    /// `share`'s part of the formats made sample by sample, the costly part of a write: its
    /// samples of the float32 export (through `normalization`, `x / 255` when nil), its PNG
    /// files and its WebDataset shards (`encodedSamples`), shard files named as one process
    /// names them. The folders and arrays are staged already.
    public func writeShare(of splits: [(name: String, data: ImageDataset)], classNames: [String], normalization: Normalization?,
                           into folder: String, share: WriteShare, advance: (Int) -> Void = { _ in }) throws {
        if formats.contains(.npyFloat32) {
            for (name, data) in splits {
                let range = share.range(of: data.count)
                try writeFloats(data, samples: range, normalization: normalization ?? .unit,
                                into: Self.arrayFolder(folder, split: name, floats: true))
                advance(range.count)
            }
        }
        for (name, data) in splits {
            try writeEncoded(data, split: name, classNames: classNames, into: folder, share: share, advance: advance)
        }
    }

    /// The last step, by one process once every sample is written: `classes.txt`, the
    /// manifest, and `dataset.json`, written last (a folder with a dataset.json is complete).
    public func writeManifest(_ dataset: PreparedDataset, into folder: String) throws {
        try FileIO.writeAtomically(Array((dataset.classNames.joined(separator: "\n") + "\n").utf8), to: joinPath(folder, "classes.txt"))
        try FileIO.writeAtomically(to: joinPath(folder, "manifest.csv")) { try Manifest.writeCSV(dataset.manifest, to: $0) }
        let document = Manifest.Document(seed: dataset.seed, command: dataset.command, source: dataset.source,
                                         classNames: dataset.classNames, samples: [])
        try FileIO.writeAtomically(to: joinPath(folder, "manifest.json")) { try Manifest.writeJSON(document, samples: dataset.manifest, to: $0) }
        try FileIO.writeAtomically(try StableJSON.encode(dataset.descriptor), to: joinPath(folder, DatasetDescriptor.fileName))
    }

    /// The samples `share` writes, counted once per pass (`x.npy`, the float32 export, the PNG
    /// formats): the total its progress reaches. `arrays`: its share of `x.npy`, nil for none.
    public func samplesToWrite(_ splits: [(name: String, data: ImageDataset)], share: WriteShare, arrays: WriteShare?) -> Int {
        splits.reduce(0) { total, split in
            let count = split.data.count
            return total + (arrays?.range(of: count).count ?? 0)
                + (formats.contains(.npyFloat32) ? share.range(of: count).count : 0)
                + (formats.contains(.png) || formats.contains(.wds) ? encodedSamples(count, share: share).count : 0)
        }
    }

    /// Samples per chunk of a format that makes `bytesPerSample` output bytes per sample.
    func chunkSize(bytesPerSample: Int) -> Int { chunkSamples ?? max(1, Self.chunkBytes / max(1, bytesPerSample)) }

    /// `range` cut into consecutive chunks of at most `size` samples (none when it is empty).
    static func chunks(_ range: Range<Int>, size: Int) -> [Range<Int>] {
        stride(from: range.lowerBound, to: range.upperBound, by: size).map { $0..<min($0 + size, range.upperBound) }
    }

    /// Six-digit zero-padded index (more digits when needed), so names sort in sample order.
    static func key(_ i: Int) -> String {
        let digits = String(i)
        return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// A class name usable as one folder name: `/`, NUL and leading dots replaced.
    static func safeFolderName(_ name: String) -> String {
        var safe = String(name.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
        while safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
        return safe.isEmpty ? "_" : safe
    }
}
