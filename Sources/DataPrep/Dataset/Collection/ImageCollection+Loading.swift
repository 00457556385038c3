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
    func load(_ options: LoadOptions, hashing: Bool, progress: (@Sendable (Int, Int) -> Void)? = nil) throws
        -> (data: SplitDataset, skipped: [SkippedFile], hashes: [[String]]) {
        if options.strict { try checkStrict() }
        let items = splits.flatMap(\.items)
        let sampleSize = options.width * options.height * options.color.channels
        // Zero-filled (not just reserved) so a slot whose image failed holds defined bytes.
        var pixels = [UInt8](repeating: 0, count: items.count * sampleSize)
        let done = AtomicCounter()
        let outcomes: [(error: DataPrepError?, hash: String)] = try pixels.withUnsafeMutableBufferPointer { buffer in
            let output = SendableBuffer(buffer)
            return try Parallel.map(count: items.count, threads: options.threads) { i -> (error: DataPrepError?, hash: String) in
                defer { progress?(done.increment() + 1, items.count) }
                var hash = ""
                do {
                    let name = displayName(of: items[i])
                    let source = try bytes(of: items[i])
                    if hashing { hash = SHA256.hex(SHA256.hash(source)) }
                    let image = try ImageFile.decode(source, name: name, color: options.color,
                                                     minimumSize: (options.width, options.height), mode: options.decode)
                    let slot = UnsafeMutableBufferPointer(rebasing: output.buffer[i * sampleSize ..< (i + 1) * sampleSize])
                    image.resize(into: slot, width: options.width, height: options.height, filter: options.filter, aspect: options.aspect)
                    return (nil, hash)
                } catch let error as DataPrepError {
                    if options.strict { throw error }
                    return (error, hash)
                }
            }
        }
        let failures = outcomes.map(\.error)
        let keptHashes: [[String]] = hashing ? splits.indices.map { s in
            let offset = splits[..<s].reduce(0) { $0 + $1.items.count }
            return (offset..<(offset + splits[s].items.count)).filter { failures[$0] == nil }.map { outcomes[$0].hash }
        } : []
        var skipped = self.skipped
        if splits.count == 1, failures.allSatisfy({ $0 == nil }) {
            // Nothing to drop: hand the buffer over instead of copying it.
            let data = ImageDataset(height: options.height, width: options.width, channels: options.color.channels,
                                    pixels: pixels, labels: items.map(\.label), classNames: classNames)
            return (SplitDataset(splits: [(splits[0].name, data)]), skipped, keptHashes)
        }
        var result: [(name: String, data: ImageDataset)] = []
        var offset = 0
        for split in splits {
            var keptPixels: [UInt8] = []
            keptPixels.reserveCapacity(split.items.count * sampleSize)
            var labels: [Int32] = []
            for (k, item) in split.items.enumerated() {
                let i = offset + k
                if let error = failures[i] {
                    skipped.append(SkippedFile(path: displayName(of: item), reason: error.reason))
                    continue
                }
                keptPixels += pixels[i * sampleSize ..< (i + 1) * sampleSize]
                labels.append(item.label)
            }
            offset += split.items.count
            result.append((split.name, ImageDataset(height: options.height, width: options.width, channels: options.color.channels,
                                                    pixels: keptPixels, labels: labels, classNames: classNames)))
        }
        return (SplitDataset(splits: result), skipped, keptHashes)
    }
}

/// A mutable buffer shared by workers that each write a disjoint slice.
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
