import Foundation

/// A folder written by `dataprep split` or `merge-cifar`, read back through its `dataset.json`.
public struct SplitOutput: Sendable {
    public let path: String
    public let descriptor: DatasetDescriptor

    /// Recognises `folder` by its `dataset.json`; nil when there is none.
    public init?(folder: String) throws {
        let file = joinPath(folder, DatasetDescriptor.fileName)
        guard FileIO.exists(file) else { return nil }
        let bytes = try JSONInputLimits.standard.read(file)  // size and nesting refused before decoding
        let descriptor: DatasetDescriptor
        do {
            descriptor = try JSONDecoder().decode(DatasetDescriptor.self, from: Data(bytes))
        } catch {
            throw DataPrepError.corrupt(path: file, offset: nil, reason: "not a dataprep dataset description: \(error)")
        }
        guard descriptor.format == DatasetDescriptor.formatName, descriptor.version == 1 else {
            throw DataPrepError.unsupported(path: file, reason: "format \(descriptor.format) version \(descriptor.version) (this build reads \(DatasetDescriptor.formatName) version 1)")
        }
        // Checked here, not trusted later: a bad shape or a per-channel normalization of the
        // wrong width would otherwise trap in ImageDataset's invariants or an out-of-range index.
        guard descriptor.height > 0, descriptor.width > 0, [1, 3, 4].contains(descriptor.channels) else {
            throw DataPrepError.inconsistent(path: file, reason: "image shape \(descriptor.height)x\(descriptor.width)x\(descriptor.channels) "
                                             + "must be positive with 1, 3 or 4 channels")
        }
        if case let .standard(mean, _) = descriptor.normalization, mean.count != descriptor.channels {
            throw DataPrepError.inconsistent(path: file, reason: "standard normalization has \(mean.count) means for \(descriptor.channels) channels")
        }
        path = folder
        self.descriptor = descriptor
    }

    /// Every split as bytes. Float outputs are mapped back through the stored normalization,
    /// which restores the original bytes exactly.
    public func load() throws -> LoadedDataset {
        let d = descriptor
        var splits: [(name: String, data: ImageDataset)] = []
        for split in d.splits {
            let xPath = try contained(split.x), yPath = try contained(split.y)
            let x = try NPYArray(contentsOf: xPath), y = try NPYArray(contentsOf: yPath)
            let shape = [split.count, d.height, d.width, d.channels]
            guard x.shape == shape else {
                throw DataPrepError.inconsistent(path: xPath, reason: "shape \(x.shape) but dataset.json says \(shape)")
            }
            guard let labels = y.integerValues, y.shape == [split.count] else {
                throw DataPrepError.inconsistent(path: yPath, reason: "expected \(split.count) integer labels, found \(y.dtype.numpyName) \(y.shape)")
            }
            if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= d.classNames.count }) {
                throw DataPrepError.labelOutOfRange(path: yPath, record: bad, offset: 128 + bad * 8, label: labels[bad], classCount: d.classNames.count)
            }
            let pixels: [UInt8]
            switch x.dtype {
            case .uint8: pixels = x.data
            case .float32:
                guard let normalization = d.normalization, let values = x.floatValues else {
                    throw DataPrepError.inconsistent(path: xPath, reason: "float32 images but dataset.json names no normalization")
                }
                pixels = values.indices.map { normalization.byte(from: values[$0], channel: $0 % d.channels) }
            default:
                throw DataPrepError.inconsistent(path: xPath, reason: "images must be uint8 or float32, found \(x.dtype.numpyName)")
            }
            splits.append((split.name, ImageDataset(height: d.height, width: d.width, channels: d.channels, pixels: pixels,
                                                    labels: labels.map { Int32($0) }, classNames: d.classNames)))
        }
        return LoadedDataset(splits: SplitDataset(splits: splits), normalization: d.normalization, format: "dataprep-dataset",
                             origins: zip(d.splits, splits).map { entry, split in (0..<split.data.count).map { "\(entry.x)#\($0)" } })
    }

    /// `relative` resolved inside the folder; a description that points outside it is refused.
    private func contained(_ relative: String) throws -> String {
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
            throw DataPrepError.unsafeArchiveEntry(archive: joinPath(path, DatasetDescriptor.fileName), entry: relative,
                                                   reason: "dataset files must stay inside the dataset folder")
        }
        return joinPath(path, relative)
    }
}
