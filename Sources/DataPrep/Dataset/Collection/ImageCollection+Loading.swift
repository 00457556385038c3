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

    /// `load(_:progress:)`, and with `hashing` the SHA-256 (hex) of each kept image's source
    /// bytes per split, aligned with its samples.
    ///
    /// The digest is taken from the bytes read for decoding, so each file is read (and each zip
    /// member inflated) once: hashing afterwards read every photo a second time.
    ///
    /// Images are decoded in chunks of at most `chunkBytes` of pixels, in source order. Without
    /// `spillDirectory` each chunk's kept samples are appended to one array per split; with it,
    /// to one `SpillFile` there, mapped at the end (each split a consecutive window), so
    /// anonymous memory holds one chunk however large the collection. The bytes are the same.
    func load(_ options: LoadOptions, hashing: Bool, spillDirectory: String? = nil, chunkBytes: Int = SpillFile.defaultChunkBytes,
              progress: (@Sendable (Int, Int) -> Void)? = nil) throws
        -> (data: SplitDataset, skipped: [SkippedFile], hashes: [[String]]) {
        if options.strict { try checkStrict() }
        let items = splits.flatMap(\.items)
        let sampleSize = options.width * options.height * options.color.channels
        let perChunk = max(1, chunkBytes / sampleSize)
        let spill = try spillDirectory.map { try SpillFile(directory: $0) }
        // Zero-filled (not just reserved) so a slot whose image failed holds defined bytes.
        var chunk = [UInt8](repeating: 0, count: min(items.count, perChunk) * sampleSize)
        var kept: [[UInt8]] = splits.map { split in
            var bytes: [UInt8] = []
            if spill == nil { bytes.reserveCapacity(split.items.count * sampleSize) }
            return bytes
        }
        var splitOf: [Int] = []
        for (s, split) in splits.enumerated() { splitOf += [Int](repeating: s, count: split.items.count) }
        let done = AtomicCounter()
        var outcomes: [(error: DataPrepError?, hash: String)] = []
        outcomes.reserveCapacity(items.count)
        var start = 0
        while start < items.count {
            let first = start, end = min(items.count, start + perChunk)
            let results = try chunk.withUnsafeMutableBufferPointer { buffer in
                let output = SendableBuffer(buffer)
                return try Parallel.map(count: end - first, threads: options.threads) { k -> (error: DataPrepError?, hash: String) in
                    let i = first + k
                    defer { progress?(done.increment() + 1, items.count) }
                    var hash = ""
                    do {
                        let name = displayName(of: items[i])
                        let source = try bytes(of: items[i])
                        if hashing { hash = SHA256.hex(SHA256.hash(source)) }
                        let image = try ImageFile.decode(source, name: name, color: options.color,
                                                         minimumSize: (options.width, options.height), mode: options.decode)
                        let slot = UnsafeMutableBufferPointer(rebasing: output.buffer[k * sampleSize ..< (k + 1) * sampleSize])
                        image.resize(into: slot, width: options.width, height: options.height, filter: options.filter, aspect: options.aspect)
                        return (nil, hash)
                    } catch let error as DataPrepError {
                        if options.strict { throw error }
                        return (error, hash)
                    }
                }
            }
            try chunk.withUnsafeBytes { raw in
                for k in 0..<(end - start) where results[k].error == nil {
                    let sample = UnsafeRawBufferPointer(rebasing: raw[(k * sampleSize)..<((k + 1) * sampleSize)])
                    if let spill { try spill.append(sample) } else { kept[splitOf[start + k]] += sample }
                }
            }
            outcomes += results
            start = end
        }
        chunk = []
        let mapped = try spill?.mapped()
        var skipped = self.skipped
        var result: [(name: String, data: ImageDataset)] = []
        var hashes: [[String]] = []
        var offset = 0, spillOffset = 0
        for (s, split) in splits.enumerated() {
            var labels: [Int32] = [], splitHashes: [String] = []
            for (k, item) in split.items.enumerated() {
                if let error = outcomes[offset + k].error {
                    skipped.append(SkippedFile(path: displayName(of: item), reason: error.reason))
                    continue
                }
                labels.append(item.label)
                if hashing { splitHashes.append(outcomes[offset + k].hash) }
            }
            offset += split.items.count
            let bytes = labels.count * sampleSize
            let storage = mapped.map { PixelStorage(mapping: $0, offset: spillOffset, count: bytes) } ?? PixelStorage(kept[s])
            kept[s] = []
            spillOffset += bytes
            result.append((split.name, ImageDataset(height: options.height, width: options.width, channels: options.color.channels,
                                                    storage: storage, labels: labels, classNames: classNames)))
            if hashing { hashes.append(splitHashes) }
        }
        return (SplitDataset(splits: result), skipped, hashes)
    }
}

/// A mutable buffer shared by workers that each write a disjoint slice.
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
