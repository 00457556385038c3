/// Writes a `PreparedDataset` into a folder: `dataset.json`, `classes.txt`, the manifest
/// (`manifest.csv`, `manifest.json`), the npy arrays, and the extra formats asked for.
///
/// Output bytes depend only on the prepared data: encoders are deterministic (fixed PNG
/// settings, tar entries with zero timestamps, sorted JSON keys), and parallel encoding lands
/// every result at its own index.
public struct DatasetWriter: Sendable {
    public var formats: Set<ExportFormat>
    /// Samples per WebDataset shard.
    public var shardSize: Int
    public var threads: Int
    /// Called with (samples written, total) from the writing thread.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(formats: Set<ExportFormat> = [.npy], shardSize: Int = 1000, threads: Int = Parallel.defaultThreads,
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        precondition(shardSize > 0, "shard size must be positive")
        self.formats = formats.union([.npy]); self.shardSize = shardSize; self.threads = threads; self.progress = progress
    }

    /// Writes into the existing folder `folder` (normally a `StagedDirectory`'s staging path).
    public func write(_ dataset: PreparedDataset, into folder: String) throws {
        let total = dataset.splits.reduce(0) { $0 + $1.data.count } * (formats.contains(.png) || formats.contains(.wds) ? 2 : 1)
        var done = 0
        func advance(_ n: Int) { done += n; progress?(done, total) }

        for (name, data) in dataset.splits {
            let dir = joinPath(folder, name)
            try FileIO.makeDirectories(dir)
            try writeImages(data, normalization: dataset.normalization, to: joinPath(dir, "x.npy"))
            try FileIO.writeAtomically(NPYArray(int64: data.labels.map(Int64.init), shape: [data.count]).encoded(), to: joinPath(dir, "y.npy"))
            advance(data.count)
        }
        if formats.contains(.idx) { try writeIDX(dataset, into: joinPath(folder, "idx")) }
        if formats.contains(.cifar) { try writeCIFAR(dataset, into: joinPath(folder, "cifar")) }
        if formats.contains(.png) || formats.contains(.wds) {
            for (name, data) in dataset.splits {
                let pngs = try encodePNGs(data)
                if formats.contains(.png) { try writePNGTree(pngs, data: data, split: name, classNames: dataset.classNames, into: joinPath(folder, "png")) }
                if formats.contains(.wds) { try writeShards(pngs, data: data, split: name, into: joinPath(folder, "wds")) }
                advance(data.count)
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

    /// Samples converted per chunk of a float32 export: bounds the floats in memory to
    /// `chunkSamples × sampleSize × 4` bytes whatever the split's size.
    static let chunkSamples = 1024

    /// NHWC images as `x.npy`: uint8 written straight from the dataset's pixels, or float32
    /// through `normalization` converted chunk by chunk (the bytes of one whole-array encoding).
    func writeImages(_ data: ImageDataset, normalization: Normalization?, to path: String) throws {
        let shape = [data.count, data.height, data.width, data.channels]
        try FileIO.writeAtomically(to: path) { write in
            let header = NPYArray.header(dtype: normalization == nil ? .uint8 : .float32, shape: shape)
            try header.withUnsafeBytes { try write($0) }
            try data.storage.withUnsafeBufferPointer { src in
                guard let normalization else { return try write(UnsafeRawBufferPointer(src)) }
                let chunk = Self.chunkSamples * data.sampleSize
                var floats = [Float](repeating: 0, count: min(chunk, src.count))
                try floats.withUnsafeMutableBufferPointer { dst in
                    var start = 0
                    while start < src.count {
                        let n = min(chunk, src.count - start)
                        let out = UnsafeMutableBufferPointer(rebasing: dst[0..<n])
                        normalization.apply(UnsafeBufferPointer(rebasing: src[start..<(start + n)]), channels: data.channels, into: out)
                        try write(UnsafeRawBufferPointer(out))
                        start += n
                    }
                }
            }
        }
    }

    private func writeIDX(_ dataset: PreparedDataset, into dir: String) throws {
        try FileIO.makeDirectories(dir)
        for (name, data) in dataset.splits {
            let color = data.channels > 1
            // The uint8 IDX header (magic 00 00 08 rank, big-endian dimensions), then the pixels
            // straight from the dataset's storage: a mapped split is never copied.
            let shape = color ? [data.count, data.height, data.width, data.channels] : [data.count, data.height, data.width]
            let header = IDXArray.header(dataType: .uint8, shape: shape)
            try FileIO.writeAtomically(to: joinPath(dir, "\(name)-images-idx\(color ? 4 : 3)-ubyte")) { write in
                try header.withUnsafeBytes { try write($0) }
                try data.storage.withUnsafeBufferPointer { try write(UnsafeRawBufferPointer($0)) }
            }
            let labels = dataset.classNames.count <= 256
                ? IDXArray(shape: [data.count], storage: .uint8(data.labels.map { UInt8($0) }))
                : IDXArray(shape: [data.count], storage: .int32(data.labels))
            try FileIO.writeAtomically(labels.encoded(), to: joinPath(dir, "\(name)-labels-idx1-ubyte"))
        }
    }

    private func writeCIFAR(_ dataset: PreparedDataset, into dir: String) throws {
        guard dataset.classNames.count <= 256 else {
            throw DataPrepError.unsupported(path: dir, reason: "CIFAR records store the label in one byte; \(dataset.classNames.count) classes do not fit")
        }
        try FileIO.makeDirectories(dir)
        for (name, data) in dataset.splits {
            let plane = data.height * data.width, record = 1 + data.sampleSize
            var out = [UInt8](repeating: 0, count: data.count * record)
            out.withUnsafeMutableBufferPointer { o in
                data.storage.withUnsafeBufferPointer { p in
                    for i in 0..<data.count {
                        let r = i &* record, s = i &* data.sampleSize
                        o[r] = UInt8(data.labels[i])
                        for c in 0..<data.channels {
                            for k in 0..<plane { o[r &+ 1 &+ c &* plane &+ k] = p[s &+ k &* data.channels &+ c] }
                        }
                    }
                }
            }
            try FileIO.writeAtomically(out, to: joinPath(dir, "\(name)_batch.bin"))
        }
        try FileIO.writeAtomically(Array((dataset.classNames.joined(separator: "\n") + "\n").utf8), to: joinPath(dir, "batches.meta.txt"))
    }

    private func encodePNGs(_ data: ImageDataset) throws -> [[UInt8]] {
        try Parallel.map(count: data.count, threads: threads) { i in try PNG.encode(data.image(at: i)) }
    }

    private func writePNGTree(_ pngs: [[UInt8]], data: ImageDataset, split: String, classNames: [String], into dir: String) throws {
        let folders = classNames.map(Self.safeFolderName)
        for folder in Set(folders) { try FileIO.makeDirectories(joinPath(joinPath(dir, split), folder)) }
        for (i, png) in pngs.enumerated() {
            // One file per sample: the folders are fsynced once when the staging folder commits.
            try FileIO.writeAtomically(png, to: joinPath(joinPath(joinPath(dir, split), folders[Int(data.labels[i])]), Self.key(i) + ".png"),
                                       syncDirectory: false)
        }
    }

    private func writeShards(_ pngs: [[UInt8]], data: ImageDataset, split: String, into dir: String) throws {
        try FileIO.makeDirectories(dir)
        var shard = 0, start = 0
        while start < pngs.count || (start == 0 && shard == 0) {
            var tar = TarWriter()
            for i in start..<min(start + shardSize, pngs.count) {
                let key = "\(split)_\(Self.key(i))"
                tar.addFile(path: key + ".png", bytes: pngs[i])
                tar.addFile(path: key + ".cls", bytes: Array("\(data.labels[i])".utf8))
            }
            try FileIO.writeAtomically(tar.finish(), to: joinPath(dir, "\(split)-\(Self.key(shard)).tar"))
            shard += 1; start += shardSize
        }
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
