import Foundation

/// A folder holding the four standard MNIST / Fashion-MNIST IDX files, raw or `.gz`.
///
/// Accepted names: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
/// `t10k-labels-idx1-ubyte`, each optionally with `.gz`, and the dotted variants some mirrors use
/// (`train-images.idx3-ubyte`). A folder with only the train or only the test pair is a dataset
/// with that one split.
public struct MNISTFolder: Sendable {
    /// Which split, and where its two files are.
    public struct SplitFiles: Sendable, Equatable {
        public let name: String
        public let images: String
        public let labels: String
    }

    public let path: String
    public let splits: [SplitFiles]

    /// Finds the split files in `path`, or nil when it holds no complete images+labels pair.
    public init?(path: String) {
        guard let entries = try? FileIO.listDirectory(path) else { return nil }
        func find(_ stem: String, _ kind: String) -> String? {
            let candidates = ["\(stem)-\(kind)", "\(stem)-\(kind.replacingFirst("-", with: "."))"]
            for base in candidates {
                for name in [base, base + ".gz"] where entries.contains(name) { return joinPath(path, name) }
            }
            return nil
        }
        var splits: [SplitFiles] = []
        for (split, stem) in [("train", "train"), ("test", "t10k")] {
            if let images = find(stem, "images-idx3-ubyte"), let labels = find(stem, "labels-idx1-ubyte") {
                splits.append(SplitFiles(name: split, images: images, labels: labels))
            }
        }
        guard !splits.isEmpty else { return nil }
        self.path = path
        self.splits = splits
    }

    /// Whether the folder's name says Fashion-MNIST (the files themselves cannot tell).
    public var isFashion: Bool { path.lowercased().split(separator: "/").contains { $0.contains("fashion") } }

    /// Decodes every split, checking images and labels agree.
    ///
    /// - Parameter spillDirectory: nil holds the pixels in memory; a folder streams each images
    ///   file (gunzipped on the fly) `chunkBytes` at a time into one unlinked `SpillFile` there,
    ///   splits end to end, and hands them back mapped read-only: the load's anonymous memory is
    ///   then one chunk and the labels, whatever the files' size. Same samples either way.
    public func load(spillDirectory: String? = nil, chunkBytes: Int = SpillFile.defaultChunkBytes) throws -> SplitDataset {
        let names = isFashion ? MNISTFolder.fashionClassNames : nil
        guard let spillDirectory else {
            return try SplitDataset(splits: splits.map { files in
                (files.name, try MNISTFolder.loadPair(images: files.images, labels: files.labels, classNames: names))
            })
        }
        let spill = try SpillFile(directory: spillDirectory)
        var pairs: [(name: String, pair: Pair, window: Range<Int>)] = []
        for files in splits {
            let start = spill.count
            let header = try IDXArray.spill(contentsOf: files.images, into: spill, chunkBytes: chunkBytes)
            let pair = try MNISTFolder.checkedPair(images: files.images, shape: header.shape, dataType: header.dataType,
                                                   labels: files.labels, classNames: names)
            pairs.append((files.name, pair, start..<spill.count))
        }
        let storages = try SpillLayout.storages(pairs.map { [$0.window] }, of: spill)
        return SplitDataset(splits: zip(pairs, storages).map { entry, storage in (entry.name, entry.pair.dataset(storage)) })
    }

    /// Decodes one images file (uint8, N x H x W or N x H x W x C) and its labels file (integer, N).
    ///
    /// - Parameter classNames: names to use; nil means the digits `0`...`9`, widened to the
    ///   largest label for datasets with more classes (EMNIST-style).
    public static func loadPair(images: String, labels: String, classNames: [String]? = nil) throws -> ImageDataset {
        let imageArray = try IDXArray(contentsOf: images)
        let pair = try checkedPair(images: images, shape: imageArray.shape, dataType: imageArray.dataType,
                                   labels: labels, classNames: classNames)
        return pair.dataset(PixelStorage(imageArray.uint8Values ?? []))
    }

    /// An images file's shape and its decoded, checked labels: everything but the pixels.
    struct Pair {
        var height: Int, width: Int, channels: Int
        var labels: [Int32]
        var classNames: [String]

        func dataset(_ storage: PixelStorage) -> ImageDataset {
            ImageDataset(height: height, width: width, channels: channels, storage: storage, labels: labels, classNames: classNames)
        }
    }

    /// Decodes the labels file and checks it against the images file's header: uint8 images of
    /// rank 3 or 4 with 1, 3 or 4 channels, integer labels of rank 1, one per image, in range.
    static func checkedPair(images: String, shape: [Int], dataType: IDXDataType, labels: String,
                            classNames: [String]?) throws -> Pair {
        let labelArray = try IDXArray(contentsOf: labels)
        guard dataType == .uint8, shape.count == 3 || shape.count == 4 else {
            throw DataPrepError.inconsistent(
                path: images, reason: "expected uint8 images of rank 3 (N,H,W) or 4 (N,H,W,C), found \(dataType.name) of shape \(shape)")
        }
        let channels = shape.count == 4 ? shape[3] : 1
        guard [1, 3, 4].contains(channels), shape[1] > 0, shape[2] > 0 else {
            throw DataPrepError.inconsistent(path: images, reason: "image shape \(shape) has no pixels or unsupported channels")
        }
        guard let values = labelArray.integerValues, labelArray.shape.count == 1 else {
            throw DataPrepError.inconsistent(
                path: labels, reason: "expected integer labels of rank 1, found \(labelArray.dataType.name) of shape \(labelArray.shape)")
        }
        guard values.count == shape[0] else {
            throw DataPrepError.inconsistent(
                path: labels, reason: "\(values.count) labels for \(shape[0]) images in \(images)")
        }
        let maxLabel = values.max() ?? 0
        let names = classNames ?? (0...max(9, maxLabel)).map(String.init)
        if let index = values.firstIndex(where: { $0 < 0 || $0 >= names.count }) {
            let headerSize = 4 + 4 * labelArray.shape.count
            throw DataPrepError.labelOutOfRange(path: labels, record: index, offset: headerSize + index * labelArray.dataType.byteSize,
                                                label: values[index], classCount: names.count)
        }
        return Pair(height: shape[1], width: shape[2], channels: channels, labels: values.map { Int32($0) }, classNames: names)
    }

    /// Fashion-MNIST's class names, index = label (Zalando's README).
    public static let fashionClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
