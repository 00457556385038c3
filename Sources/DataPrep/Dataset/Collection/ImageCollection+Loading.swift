/// Decoding a whole collection into fixed-size datasets.
extension ImageCollection {
    /// How every image is brought to one shape.
    public struct LoadOptions: Sendable {
        public var width: Int
        public var height: Int
        public var color: ColorMode
        public var filter: ResizeFilter
        /// Stretch, or keep the aspect ratio by centre-cropping or padding.
        public var aspect: AspectMode
        /// Fail on the first unreadable image instead of skipping and reporting it.
        public var strict: Bool
        public var threads: Int
        /// DCT-scaled (fast) or full, `cv2.imread`-exact decoding (see `DecodeMode`).
        public var decode: DecodeMode

        public init(width: Int, height: Int, color: ColorMode = .rgb, filter: ResizeFilter = .area,
                    aspect: AspectMode = .stretch, strict: Bool = false, threads: Int = Parallel.defaultThreads,
                    decode: DecodeMode = .scaled) {
            precondition(width > 0 && height > 0, "target size must be positive, got \(width)x\(height)")
            self.width = width
            self.height = height
            self.color = color
            self.filter = filter
            self.aspect = aspect
            self.strict = strict
            self.threads = threads
            self.decode = decode
        }
    }

    /// Every split decoded to `options`' size and colour, and the images that could not be read.
    ///
    /// In `.scaled` mode JPEGs are decoded with libjpeg's DCT scaling to the smallest size that
    /// still covers the target (a 500x375 photo becomes 125x94 for an 80x80 target without ever
    /// existing at full size); `.full` decodes them whole, as `cv2.imread`. Either way the image
    /// is then resized straight into the dataset's buffer: one allocation per image for the
    /// decode, none for the resize. Images are processed in parallel; each lands at its own
    /// index, so the result is identical for any thread count.
    public func load(_ options: LoadOptions, progress: (@Sendable (Int, Int) -> Void)? = nil) throws
        -> (data: SplitDataset, skipped: [SkippedFile]) {
        let loaded = try load(options, hashing: false, progress: progress)
        return (loaded.data, loaded.skipped)
    }

    /// `load(_:progress:)`, and per split each kept image's origin (its display name) and, with
    /// `hashing`, the SHA-256 of its source bytes, aligned with the split's samples.
    ///
    /// The digest is taken from the bytes read for decoding, so each file is read (and each zip
    /// member inflated) once: hashing afterwards read every photo a second time.
    ///
    /// Images are decoded in chunks of at most `chunkBytes` of pixels, in source order. Without
    /// `spillDirectory` each chunk's kept samples (and digests) are appended to arrays per split;
    /// with it, to one `SpillFile` for the pixels and one for the digests there, mapped at the
    /// end (each split a consecutive window), so anonymous memory holds one chunk and the
    /// compact origins however large the collection. The bytes are the same.
    ///
    /// With `sharing`, each chunk's photos are decoded by the processes sharing it
    /// (`DecodeSharing`); a process that does not keep samples returns none.
    func load(_ options: LoadOptions, hashing: Bool, spillDirectory: String? = nil, chunkBytes: Int = SpillFile.defaultChunkBytes,
              sharing: (any DecodeSharing)? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) throws
        -> (data: SplitDataset, skipped: [SkippedFile], origins: [SampleOrigins], hashes: [SampleDigests]) {
        if options.strict { try checkStrict() }
        Heap.releaseFreedPages()  // the listing's intermediates, before the chunk is allocated
        let total = count, digestSize = SampleDigests.size
        let sampleSize = options.width * options.height * options.color.channels
        let perChunk = max(1, chunkBytes / sampleSize)
        let spill = try spillDirectory.map { try SpillFile(directory: $0) }
        let digestSpill = hashing ? try spillDirectory.map { try SpillFile(directory: $0) } : nil
        // Zero-filled (not just reserved) so a slot whose image failed holds defined bytes.
        var chunk = [UInt8](repeating: 0, count: min(total, perChunk) * sampleSize)
        var digestChunk = [UInt8](repeating: 0, count: hashing ? min(total, perChunk) * digestSize : 0)
        let done = AtomicCounter()
        var kept: [(pixels: [UInt8], digests: [UInt8], labels: [Int32], failed: [(index: Int, reason: String)])] = []
        var before = 0  // photos of the splits already loaded
        for split in splits {
            defer { before += split.items.count }
            var out: (pixels: [UInt8], digests: [UInt8], labels: [Int32], failed: [(index: Int, reason: String)]) = ([], [], [], [])
            if spill == nil { out.pixels.reserveCapacity(split.items.count * sampleSize) }
            var start = 0
            while start < split.items.count {
                let first = start, end = min(split.items.count, start + perChunk)
                let reasons = try chunk.withUnsafeMutableBufferPointer { pixelBuffer in
                    try digestChunk.withUnsafeMutableBufferPointer { digestBuffer in
                        let output = SendableBuffer(pixelBuffer), digestOutput = SendableBuffer(digestBuffer)
                        // Slots `range` of this chunk decoded here, in parallel; each lands at its own index.
                        func decode(_ range: Range<Int>) throws -> [String?] {
                            try Parallel.map(count: range.count, threads: options.threads) { j -> String? in
                                let k = range.lowerBound + j, item = split.items[first + k]
                                defer { progress?(done.increment() + 1, total) }
                                do {
                                    let source = try bytes(of: item)
                                    if hashing {
                                        source.withUnsafeBytes {
                                            SHA256.hash($0, into: digestOutput.buffer.baseAddress!.advanced(by: k * digestSize))
                                        }
                                    }
                                    let image = try ImageFile.decode(source, name: displayName(of: item), color: options.color,
                                                                     minimumSize: (options.width, options.height), mode: options.decode)
                                    let slot = UnsafeMutableBufferPointer(rebasing: output.buffer[k * sampleSize ..< (k + 1) * sampleSize])
                                    image.resize(into: slot, width: options.width, height: options.height, filter: options.filter, aspect: options.aspect)
                                    return nil
                                } catch let error as DataPrepError {
                                    if options.strict { throw error }
                                    return error.reason
                                }
                            }
                        }
                        guard let sharing else { return try decode(0..<(end - first)) }
                        let reasons = try sharing.decodeChunk(count: end - first, pixels: UnsafeMutableRawBufferPointer(pixelBuffer),
                                                              sampleSize: sampleSize, digests: UnsafeMutableRawBufferPointer(digestBuffer),
                                                              digestSize: digestSize, decode: decode)
                        // The other processes' slots count as done once collected.
                        if sharing.keepsSamples { progress?(done.add(before + end - done.add(0)), total) }
                        return reasons
                    }
                }
                if let sharing, !sharing.keepsSamples { start = end; continue }
                try chunk.withUnsafeBytes { pixels in
                    try digestChunk.withUnsafeBytes { digests in
                        // Kept samples are stored a run at a time (failures are rare: usually
                        // one write per chunk, not one per photo).
                        func store(_ run: Range<Int>) throws {
                            guard !run.isEmpty else { return }
                            let sample = UnsafeRawBufferPointer(rebasing: pixels[(run.lowerBound * sampleSize)..<(run.upperBound * sampleSize)])
                            if let spill { try spill.append(sample) } else { out.pixels += sample }
                            guard hashing else { return }
                            let digest = UnsafeRawBufferPointer(rebasing: digests[(run.lowerBound * digestSize)..<(run.upperBound * digestSize)])
                            if let digestSpill { try digestSpill.append(digest) } else { out.digests += digest }
                        }
                        var runStart = 0
                        for k in 0..<(end - first) {
                            if let reason = reasons[k] {
                                try store(runStart..<k)
                                runStart = k + 1
                                out.failed.append((first + k, reason))
                                continue
                            }
                            out.labels.append(split.items[first + k].label)
                        }
                        try store(runStart..<(end - first))
                    }
                }
                start = end
            }
            kept.append(out)
        }
        chunk = []
        digestChunk = []
        if let sharing, !sharing.keepsSamples { return (SplitDataset(splits: []), [], [], []) }
        let mapped = try spill?.mapped(), mappedDigests = try digestSpill?.mapped()
        var skipped = self.skipped
        var result: [(name: String, data: ImageDataset)] = [], origins: [SampleOrigins] = [], hashes: [SampleDigests] = []
        var spillOffset = 0, digestOffset = 0
        for (s, split) in splits.enumerated() {
            let labels = kept[s].labels, failed = kept[s].failed
            skipped += failed.map { SkippedFile(path: displayName(of: split.items[$0.index]), reason: $0.reason) }
            let bytes = labels.count * sampleSize, digestBytes = hashing ? labels.count * digestSize : 0
            let storage = mapped.map { PixelStorage(mapping: $0, offset: spillOffset, count: bytes) } ?? PixelStorage(kept[s].pixels)
            let digests = mappedDigests.map { PixelStorage(mapping: $0, offset: digestOffset, count: digestBytes) } ?? PixelStorage(kept[s].digests)
            kept[s] = ([], [], [], [])
            spillOffset += bytes
            digestOffset += digestBytes
            result.append((split.name, ImageDataset(height: options.height, width: options.width, channels: options.color.channels,
                                                    storage: storage, labels: labels, classNames: classNames)))
            let failedAt = Set(failed.map(\.index))
            origins.append(SampleOrigins(prefix: displayPrefix,
                                         paths: split.items.indices.lazy.filter { !failedAt.contains($0) }.map { split.items[$0].path }))
            if hashing { hashes.append(SampleDigests(storage: digests)) }
        }
        return (SplitDataset(splits: result), skipped, origins, hashes)
    }
}

/// A mutable buffer shared by workers that each write a disjoint slice.
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
