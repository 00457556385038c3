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
    /// Shares the PNG encoding (PNG files, WebDataset shards) with other processes, the ranks of
    /// an MPI job (`EncodeSharing`); each of them calls `encodeShares`. Nil encodes everything here.
    public var encodeSharing: (any EncodeSharing)?

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

    /// Writes into the existing folder `folder` (normally a `StagedDirectory`'s staging path).
    public func write(_ dataset: PreparedDataset, into folder: String) throws {
        let samples = dataset.splits.reduce(0) { $0 + $1.data.count }
        let passes = 1 + (formats.contains(.npyFloat32) ? 1 : 0) + (formats.contains(.png) || formats.contains(.wds) ? 1 : 0)
        let total = samples * passes
        var done = 0
        func advance(_ n: Int) { done += n; progress?(done, total) }

        for (name, data) in dataset.splits {
            let dir = joinPath(folder, name)
            try FileIO.makeDirectories(dir)
            try writeImages(data, to: joinPath(dir, "x.npy"))
            try FileIO.writeAtomically(Self.labelsNPY(data), to: joinPath(dir, "y.npy"))
            advance(data.count)
        }
        if formats.contains(.npyFloat32) {
            for (name, data) in dataset.splits {
                let dir = joinPath(joinPath(folder, ExportFormat.npyFloat32.rawValue), name)
                try FileIO.makeDirectories(dir)
                try writeFloats(data, normalization: dataset.normalization ?? .unit, to: joinPath(dir, "x.npy"))
                try FileIO.writeAtomically(Self.labelsNPY(data), to: joinPath(dir, "y.npy"))
                advance(data.count)
            }
        }
        if formats.contains(.idx) { try writeIDX(dataset, into: joinPath(folder, "idx")) }
        if formats.contains(.cifar) { try writeCIFAR(dataset, into: joinPath(folder, "cifar")) }
        if formats.contains(.png) || formats.contains(.wds) {
            for (name, data) in dataset.splits {
                try writeEncoded(data, split: name, classNames: dataset.classNames, into: folder, advance: advance)
            }
        }
        try FileIO.writeAtomically(Array((dataset.classNames.joined(separator: "\n") + "\n").utf8), to: joinPath(folder, "classes.txt"))
        try FileIO.writeAtomically(to: joinPath(folder, "manifest.csv")) { try Manifest.writeCSV(dataset.manifest, to: $0) }
        let document = Manifest.Document(seed: dataset.seed, command: dataset.command, source: dataset.source,
                                         classNames: dataset.classNames, samples: [])
        try FileIO.writeAtomically(to: joinPath(folder, "manifest.json")) { try Manifest.writeJSON(document, samples: dataset.manifest, to: $0) }
        // Written last: a folder with a dataset.json is complete.
        try FileIO.writeAtomically(try StableJSON.encode(dataset.descriptor), to: joinPath(folder, DatasetDescriptor.fileName))
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
