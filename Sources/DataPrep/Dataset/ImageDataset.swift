/// A labelled set of same-sized 8-bit images in one contiguous NHWC buffer.
///
/// The form of MNIST, CIFAR, every resized collection and every split output: one flat buffer
/// for all pixels, so later stages (normalise, split, export, batch) run over contiguous bytes.
/// The buffer is an array, or the mapped data of a split output's `x.npy` (`PixelStorage`).
public struct ImageDataset: Equatable, Sendable {
    public var height: Int
    public var width: Int
    public var channels: Int
    /// `count * height * width * channels` bytes, sample-major, channel fastest. Hot loops read
    /// it with `storage.withUnsafeBufferPointer`, which never copies.
    public var storage: PixelStorage
    /// The pixel bytes as an array (a copy when `storage` is mapped: prefer `storage` in loops).
    public var pixels: [UInt8] {
        get { storage.bytes }
        set { storage = PixelStorage(newValue) }
    }
    /// One label per sample, each in `0..<classNames.count`.
    public var labels: [Int32]
    /// Class names, index = label.
    public var classNames: [String]
    /// CIFAR-100's superclass of each sample (nil for other sources).
    public var coarseLabels: [Int32]?
    /// CIFAR-100's superclass names (nil for other sources).
    public var coarseClassNames: [String]?

    public init(height: Int, width: Int, channels: Int, pixels: [UInt8], labels: [Int32], classNames: [String],
                coarseLabels: [Int32]? = nil, coarseClassNames: [String]? = nil) {
        self.init(height: height, width: width, channels: channels, storage: PixelStorage(pixels), labels: labels,
                  classNames: classNames, coarseLabels: coarseLabels, coarseClassNames: coarseClassNames)
    }

    public init(height: Int, width: Int, channels: Int, storage: PixelStorage, labels: [Int32], classNames: [String],
                coarseLabels: [Int32]? = nil, coarseClassNames: [String]? = nil) {
        self.height = height
        self.width = width
        self.channels = channels
        self.storage = storage
        self.labels = labels
        self.classNames = classNames
        self.coarseLabels = coarseLabels
        self.coarseClassNames = coarseClassNames
        checkInvariants()
    }

    public var count: Int { labels.count }
    public var sampleSize: Int { height * width * channels }

    /// Samples per class, index = label.
    public var classHistogram: [Int] { histogram(labels, classes: classNames.count) }

    /// Samples per superclass (CIFAR-100 only).
    public var coarseHistogram: [Int]? {
        guard let coarse = coarseLabels, let names = coarseClassNames else { return nil }
        return histogram(coarse, classes: names.count)
    }

    /// The pixels of sample `index` as an `Image`.
    public func image(at index: Int) -> Image {
        let start = index * sampleSize
        return Image(width: width, height: height, channels: channels, pixels: storage.copy(start ..< start + sampleSize))
    }

    /// Traps with a message naming the broken invariant: these are programmer errors, since
    /// every decoder validates its input before building a dataset.
    public func checkInvariants() {
        precondition(height > 0 && width > 0 && [1, 3, 4].contains(channels),
                     "ImageDataset shape must be positive with 1, 3 or 4 channels, got \(height)x\(width)x\(channels)")
        precondition(storage.count == labels.count * sampleSize,
                     "ImageDataset has \(storage.count) pixel bytes for \(labels.count) samples of \(sampleSize)")
        precondition(labels.allSatisfy { $0 >= 0 && Int($0) < classNames.count },
                     "ImageDataset labels must lie in 0..<\(classNames.count)")
        if let coarse = coarseLabels {
            precondition(coarse.count == labels.count, "coarse labels \(coarse.count) != labels \(labels.count)")
            precondition(coarseClassNames != nil, "coarse labels need coarse class names")
        }
    }
}

/// Counts of each label in `0..<classes`.
func histogram(_ labels: [Int32], classes: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: classes)
    for label in labels where label >= 0 && Int(label) < classes { counts[Int(label)] += 1 }
    return counts
}

/// A dataset as its source ships it: named splits in the source's order (`train`, `test`).
public struct SplitDataset: Equatable, Sendable {
    public var splits: [(name: String, data: ImageDataset)]

    public init(splits: [(name: String, data: ImageDataset)]) { self.splits = splits }

    public subscript(name: String) -> ImageDataset? { splits.first { $0.name == name }?.data }

    public static func == (lhs: SplitDataset, rhs: SplitDataset) -> Bool {
        lhs.splits.count == rhs.splits.count && zip(lhs.splits, rhs.splits).allSatisfy { $0.name == $1.name && $0.data == $1.data }
    }
}
