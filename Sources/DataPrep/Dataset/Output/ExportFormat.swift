/// The on-disk layouts a prepared dataset can be written in. `npy` is always written (it is
/// what `dataset.json` describes and what our readers load); the others are extra views of the
/// same samples for other tools.
public enum ExportFormat: String, CaseIterable, Codable, Sendable {
    /// `SPLIT/x.npy` (uint8, NHWC) and `SPLIT/y.npy` (int64). `--normalize` does not change
    /// these bytes: the normalization is recorded in `dataset.json` and applied by the readers.
    case npy
    /// `npy-float32/SPLIT/x.npy` (float32, NHWC) and `npy-float32/SPLIT/y.npy` (int64, the same
    /// bytes as `SPLIT/y.npy`): the images through `dataset.json`'s normalization, or `x / 255`
    /// when none was recorded, for tools that want model inputs ready to `np.load`. Written in
    /// chunks; byte for byte what `--normalize` stored as `SPLIT/x.npy` in earlier versions.
    case npyFloat32 = "npy-float32"
    /// `idx/SPLIT-images-idx3-ubyte` (idx4 for colour) and `idx/SPLIT-labels-idx1-ubyte`, MNIST style.
    case idx
    /// `cifar/SPLIT_batch.bin`: records of 1 label byte + channel-planar pixels, CIFAR-10 style,
    /// with `cifar/batches.meta.txt` naming the classes.
    case cifar
    /// `png/SPLIT/CLASS/NNNNNN.png`, one folder per class (Keras `image_dataset_from_directory`).
    case png
    /// `wds/SPLIT-NNNNNN.tar` WebDataset shards of `KEY.png` + `KEY.cls`.
    case wds
}

/// One line of the manifest: where an output sample came from.
public struct ManifestRow: Codable, Equatable, Sendable {
    public var split: String
    /// Position within the split's arrays.
    public var index: Int
    /// Source file path (collections) or `file#record` (array formats).
    public var source: String
    public var label: Int
    public var className: String
    /// SHA-256 of the source bytes: the file for collections, the record's pixel bytes for
    /// array formats.
    public var sha256: String
    /// The label before `--map` relabelled the classes (nil without a map: the key is then
    /// left out of `manifest.json` and the column out of `manifest.csv`).
    public var originalLabel: Int?
    /// The class name before `--map`.
    public var originalClassName: String?

    public init(split: String, index: Int, source: String, label: Int, className: String, sha256: String,
                originalLabel: Int? = nil, originalClassName: String? = nil) {
        self.split = split; self.index = index; self.source = source; self.label = label
        self.className = className; self.sha256 = sha256
        self.originalLabel = originalLabel; self.originalClassName = originalClassName
    }
}
