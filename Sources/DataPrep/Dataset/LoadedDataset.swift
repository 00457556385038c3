/// Any dataset `dataprep` understands, decoded into memory in one call: what `split`, `train`,
/// the batch loader and `evaluate` start from.
public struct LoadedDataset: Sendable {
    /// The source's splits (`train`/`test` for MNIST and CIFAR, the folder's splits for a
    /// collection, `all` for a single batch file, the written splits for a `split` output).
    public var splits: SplitDataset
    /// What could not be decoded and was skipped (collections only, never in strict mode).
    public var skipped: [SkippedFile]
    /// How a `split` output's floats were made, when the source is one written with
    /// `--normalize`; its bytes are restored exactly, and trainers should reuse it.
    public var normalization: Normalization?
    /// The detected format (`DatasetReader.formatName`).
    public var format: String
    /// Per split, where each sample came from (file path in a collection, `file#index` for
    /// array formats), aligned with the split's samples.
    public var origins: [SampleOrigins]
    /// Per split, SHA-256 of each sample's source bytes (the file for collections, the
    /// record's pixel bytes for array formats); empty unless `Options.hashSources`.
    public var sourceHashes: [SampleDigests] = []

    /// How to bring images to one shape while loading.
    public struct Options: Sendable {
        /// Target (width, height); nil keeps the source's. Required for collections whose
        /// photos differ in size.
        public var size: (width: Int, height: Int)?
        /// Target colour; nil keeps the source's (a collection is gray when every image is).
        public var color: ColorMode?
        public var filter: ResizeFilter
        public var aspect: AspectMode
        public var strict: Bool
        public var threads: Int
        /// Compute `sourceHashes` (for manifests).
        public var hashSources: Bool
        /// How a collection's photos are decoded (array formats are not affected).
        public var decode: DecodeMode
        /// Copies of the decoded pixels the caller holds at its peak (`split`: 4, see
        /// `SplitJob`); checked against `memory` before anything is decoded. 0 skips the check.
        public var memoryCopies = 2
        /// The budget to check against: `MemoryBudget.current()` unless injected (tests).
        public var memory: MemoryBudget? = MemoryBudget.current()
        /// Where a collection's (or an IDX or CIFAR source's) decoded pixels go: nil holds them
        /// in memory; a folder puts them in a `SpillFile` there, mapped read-only, so the load's anonymous memory is one chunk
        /// (`chunkBytes`) wide. The memory check then counts only `memoryCopies` beyond the
        /// decoded one, and the folder's free space is checked for `spillCopies` copies.
        public var spillDirectory: String?
        /// Copies of the decoded pixels the caller will spill in all (`split`: 2, the source and
        /// its gathered splits); checked against the spill folder's free space.
        public var spillCopies = 1
        /// Pixels decoded per step when spilling.
        public var chunkBytes = SpillFile.defaultChunkBytes
        /// Shares a collection's decoding with other processes (the ranks of an MPI job); nil
        /// decodes everything here. Array formats ignore it.
        public var decodeSharing: (any DecodeSharing)?

        public init(size: (width: Int, height: Int)? = nil, color: ColorMode? = nil, filter: ResizeFilter = .area,
                    aspect: AspectMode = .stretch, strict: Bool = false, threads: Int = Parallel.defaultThreads,
                    hashSources: Bool = false, decode: DecodeMode = .scaled) {
            self.size = size; self.color = color; self.filter = filter; self.aspect = aspect
            self.strict = strict; self.threads = threads; self.hashSources = hashSources; self.decode = decode
        }
    }

    public init(splits: SplitDataset, skipped: [SkippedFile] = [], normalization: Normalization? = nil,
                format: String, origins: [SampleOrigins]) {
        self.splits = splits; self.skipped = skipped; self.normalization = normalization
        self.format = format; self.origins = origins
    }

    /// Decodes `path` (anything `DatasetSource.open` recognises) and applies `options`.
    ///
    /// - Parameter progress: called from worker threads with (done, total) while images decode.
    public static func load(path: String, options: Options = Options(),
                            progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> LoadedDataset {
        try DatasetSource.open(path).load(options, progress: progress)
    }

    /// An array source's samples after `options`: hashed per sample when asked (the record's
    /// pixel bytes), then resized and colour-converted.
    func applying(_ options: Options) throws -> LoadedDataset {
        var result = self
        if options.hashSources { result.sourceHashes = try splits.splits.map { try $0.data.sampleHashes(threads: options.threads) } }
        result.splits = try splits.transformed(options)
        return result
    }
}

extension SplitDataset {
    /// Every split resized and/or colour-converted per `options` (a no-op when they match).
    func transformed(_ options: LoadedDataset.Options) throws -> SplitDataset {
        SplitDataset(splits: try splits.map { ($0.name, try $0.data.transformed(options)) })
    }
}

extension ImageDataset {
    /// SHA-256 of each sample's pixel bytes.
    ///
    /// With `sharing`, the samples are hashed in chunks of at most `chunkBytes` of pixels, in
    /// order, each chunk's hashing divided among the processes sharing it (`DecodeSharing`,
    /// digests only: no pixels travel, every process reads the same source): the digests
    /// collected are the ones one process computes. A process that does not keep samples gets
    /// only its own shares' digests (the other slots stay zero).
    public func sampleHashes(threads: Int = Parallel.defaultThreads, sharing: (any DecodeSharing)? = nil,
                             chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> SampleDigests {
        let size = sampleSize, digestSize = SampleDigests.size, count = self.count
        var digests = [UInt8](repeating: 0, count: count * digestSize)
        try storage.withUnsafeBufferPointer { buffer in
            try digests.withUnsafeMutableBufferPointer { out in
                let shared = SendableReadBuffer(buffer), output = SendableBuffer(out)
                func hash(_ samples: Range<Int>) throws {
                    _ = try Parallel.map(count: samples.count, threads: threads) { j -> Int in
                        let i = samples.lowerBound + j
                        SHA256.hash(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(shared.buffer)[(i * size)..<((i + 1) * size)]),
                                    into: output.buffer.baseAddress!.advanced(by: i * digestSize))
                        return i
                    }
                }
                guard let sharing else { return try hash(0..<count) }
                let perChunk = max(1, chunkBytes / max(1, size))
                for first in stride(from: 0, to: count, by: perChunk) {
                    let end = min(count, first + perChunk)
                    let slots = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[(first * digestSize)..<(end * digestSize)])
                    _ = try sharing.decodeChunk(count: end - first, pixels: UnsafeMutableRawBufferPointer(start: nil, count: 0), sampleSize: 0,
                                                digests: slots, digestSize: digestSize) { share in
                        try hash((first + share.lowerBound)..<(first + share.upperBound))
                        return [String?](repeating: nil, count: share.count)
                    }
                }
            }
        }
        return SampleDigests(storage: PixelStorage(digests))
    }

    /// The dataset with every image brought to `options`' size and colour, in parallel.
    public func transformed(_ options: LoadedDataset.Options) throws -> ImageDataset {
        let width = options.size?.width ?? self.width, height = options.size?.height ?? self.height
        let color = options.color ?? (channels == 1 ? .gray : .rgb)
        if width == self.width && height == self.height && color.channels == channels { return self }
        let outSize = width * height * color.channels
        var out = [UInt8](repeating: 0, count: count * outSize)
        try out.withUnsafeMutableBufferPointer { buffer in
            let output = SendableBuffer(buffer)
            _ = try Parallel.map(count: count, threads: options.threads) { i -> Int in
                var image = self.image(at: i)
                if image.channels != color.channels { image = image.converted(to: color) }
                if image.width != width || image.height != height {
                    image = image.resized(width: width, height: height, filter: options.filter, aspect: options.aspect)
                }
                image.pixels.withUnsafeBufferPointer { src in
                    output.buffer.baseAddress!.advanced(by: i * outSize).update(from: src.baseAddress!, count: outSize)
                }
                return i
            }
        }
        let result = ImageDataset(height: height, width: width, channels: color.channels, pixels: out, labels: labels,
                                  classNames: classNames, coarseLabels: coarseLabels, coarseClassNames: coarseClassNames)
        result.checkInvariants()
        return result
    }
}
