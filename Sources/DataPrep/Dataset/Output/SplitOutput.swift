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

    /// A folder still being written, whose `dataset.json` is not on disk yet, read through the
    /// `descriptor` it will hold: the staged arrays of a write shared by several processes
    /// (`DatasetWriter.writeShare` on the ranks that do not hold the samples).
    public init(staged folder: String, descriptor: DatasetDescriptor) {
        path = folder
        self.descriptor = descriptor
    }

    /// Every split as bytes, with the recorded normalization for the readers to apply. A uint8
    /// `x.npy` is mapped, not read: its pixels stay in the page cache and the dataset reads them
    /// in place (`PixelStorage`). A float32 `x.npy` (what `--normalize` stored in earlier
    /// versions) is mapped back through the stored normalization, which restores the original
    /// bytes exactly (one byte per float in memory).
    public func load() throws -> LoadedDataset {
        let d = descriptor
        var splits: [(name: String, data: ImageDataset)] = []
        for split in d.splits {
            let xPath = try contained(split.x), yPath = try contained(split.y)
            let x = try NPYArray.mapped(xPath), y = try NPYArray(contentsOf: yPath)
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
            let pixels: PixelStorage
            switch x.dtype {
            case .uint8: pixels = x.data
            case .float32:
                guard let normalization = d.normalization else {
                    throw DataPrepError.inconsistent(path: xPath, reason: "float32 images but dataset.json names no normalization")
                }
                pixels = PixelStorage(Self.bytes(fromFloats: x.data, normalization: normalization, channels: d.channels))
            default:
                throw DataPrepError.inconsistent(path: xPath, reason: "images must be uint8 or float32, found \(x.dtype.numpyName)")
            }
            splits.append((split.name, ImageDataset(height: d.height, width: d.width, channels: d.channels, storage: pixels,
                                                    labels: labels.map { Int32($0) }, classNames: d.classNames)))
        }
        return LoadedDataset(splits: SplitDataset(splits: splits), normalization: d.normalization, format: "dataprep-dataset",
                             origins: zip(d.splits, splits).map { entry, split in SampleOrigins(records: entry.x, count: split.data.count) })
    }

    /// The bytes behind little-endian float32 `data` written through `normalization`.
    private static func bytes(fromFloats data: PixelStorage, normalization: Normalization, channels: Int) -> [UInt8] {
        let count = data.count / 4
        return [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            data.withUnsafeBufferPointer { raw in
                let floats = UnsafeRawBufferPointer(raw)
                for i in 0..<count {
                    let value = Float(bitPattern: floats.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian)
                    out[i] = normalization.byte(from: value, channel: i % channels)
                }
            }
            initialized = count
        }
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
