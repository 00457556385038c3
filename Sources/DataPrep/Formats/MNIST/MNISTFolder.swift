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
    public func load() throws -> SplitDataset {
        try SplitDataset(splits: splits.map { files in
            (files.name, try MNISTFolder.loadPair(images: files.images, labels: files.labels,
                                                  classNames: isFashion ? MNISTFolder.fashionClassNames : nil))
        })
    }

    /// Decodes one images file (uint8, N x H x W or N x H x W x C) and its labels file (integer, N).
    ///
    /// - Parameter classNames: names to use; nil means the digits `0`...`9`, widened to the
    ///   largest label for datasets with more classes (EMNIST-style).
    public static func loadPair(images: String, labels: String, classNames: [String]? = nil) throws -> ImageDataset {
        let imageArray = try IDXArray(contentsOf: images)
        let labelArray = try IDXArray(contentsOf: labels)
        guard let pixels = imageArray.uint8Values, imageArray.shape.count == 3 || imageArray.shape.count == 4 else {
            throw DataPrepError.inconsistent(
                path: images, reason: "expected uint8 images of rank 3 (N,H,W) or 4 (N,H,W,C), found \(imageArray.dataType.name) of shape \(imageArray.shape)")
        }
        let channels = imageArray.shape.count == 4 ? imageArray.shape[3] : 1
        guard [1, 3, 4].contains(channels), imageArray.shape[1] > 0, imageArray.shape[2] > 0 else {
            throw DataPrepError.inconsistent(path: images, reason: "image shape \(imageArray.shape) has no pixels or unsupported channels")
        }
        guard let values = labelArray.integerValues, labelArray.shape.count == 1 else {
            throw DataPrepError.inconsistent(
                path: labels, reason: "expected integer labels of rank 1, found \(labelArray.dataType.name) of shape \(labelArray.shape)")
        }
        guard values.count == imageArray.shape[0] else {
            throw DataPrepError.inconsistent(
                path: labels, reason: "\(values.count) labels for \(imageArray.shape[0]) images in \(images)")
        }
        let maxLabel = values.max() ?? 0
        let names = classNames ?? (0...max(9, maxLabel)).map(String.init)
        if let index = values.firstIndex(where: { $0 < 0 || $0 >= names.count }) {
            let headerSize = 4 + 4 * labelArray.shape.count
            throw DataPrepError.labelOutOfRange(path: labels, record: index, offset: headerSize + index * labelArray.dataType.byteSize,
                                                label: values[index], classCount: names.count)
        }
        return ImageDataset(height: imageArray.shape[1], width: imageArray.shape[2], channels: channels,
                            pixels: pixels, labels: values.map { Int32($0) }, classNames: names)
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
