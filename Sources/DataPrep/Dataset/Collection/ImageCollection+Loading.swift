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
        if options.strict { try checkStrict() }
        let items = splits.flatMap(\.items)
        let sampleSize = options.width * options.height * options.color.channels
        // Zero-filled (not just reserved) so a slot whose image failed holds defined bytes.
        var pixels = [UInt8](repeating: 0, count: items.count * sampleSize)
        let done = AtomicCounter()
        let failures: [DataPrepError?] = try pixels.withUnsafeMutableBufferPointer { buffer in
            let output = SendableBuffer(buffer)
            return try Parallel.map(count: items.count, threads: options.threads) { i -> DataPrepError? in
                defer { progress?(done.increment() + 1, items.count) }
                do {
                    let name = displayName(of: items[i])
                    let image = try ImageFile.decode(bytes(of: items[i]), name: name, color: options.color,
                                                     minimumSize: (options.width, options.height), mode: options.decode)
                    let slot = UnsafeMutableBufferPointer(rebasing: output.buffer[i * sampleSize ..< (i + 1) * sampleSize])
                    image.resize(into: slot, width: options.width, height: options.height, filter: options.filter, aspect: options.aspect)
                    return nil
                } catch let error as DataPrepError {
                    if options.strict { throw error }
                    return error
                }
            }
        }
        var skipped = self.skipped
        if splits.count == 1, failures.allSatisfy({ $0 == nil }) {
            // Nothing to drop: hand the buffer over instead of copying it.
            let data = ImageDataset(height: options.height, width: options.width, channels: options.color.channels,
                                    pixels: pixels, labels: items.map(\.label), classNames: classNames)
            return (SplitDataset(splits: [(splits[0].name, data)]), skipped)
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
        return (SplitDataset(splits: result), skipped)
    }
}

/// A mutable buffer shared by workers that each write a disjoint slice.
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
