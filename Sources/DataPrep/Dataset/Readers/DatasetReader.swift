/// One kind of dataset source, opened by `DatasetSource.open`: what every command starts from.
///
/// A reader answers three questions in increasing cost. `listing()` names every sample with
/// its label and origin without decoding a pixel (labels come from IDX label files, CIFAR record
/// bytes, collection paths, `y.npy`), so a plan (a split, a duplicate check) can be made before
/// any decoding. `load` decodes the samples into `ImageDataset`s. `report` is what `info` says.
///
/// Conformers, one per source kind: `MNISTFolder` (IDX folder), `CIFARReader` (CIFAR folder or
/// `.tar.gz`), `CIFARBatchFile` (one batch file), `ImageCollection` (photos by class folder or
/// Kaggle name, folder or `.zip`), `SplitOutput` (a `split` / `merge-cifar` folder), and the two
/// inputs that `info` describes but that are not datasets, `IDXFile` and `SingleImage`, whose
/// `listing` and `load` refuse them.
public protocol DatasetReader: Sendable {
    /// The path as opened (reports and errors name it).
    var path: String { get }
    /// A short machine-readable name of the format (`idx-folder`, `cifar-10`, `by-class-zip`, …).
    var formatName: String { get }
    /// Every sample's split, label and origin, read without decoding pixels.
    func listing() throws -> DatasetListing
    /// Every sample decoded and brought to `options`' shape.
    ///
    /// - Parameter progress: called from worker threads with (done, total) while images decode.
    func load(_ options: LoadedDataset.Options, progress: (@Sendable (Int, Int) -> Void)?) throws -> LoadedDataset
    /// What `info` reports, checked as thoroughly as `inspector` asks.
    func report(_ inspector: DatasetInspector) throws -> DatasetReport
}

extension DatasetReader {
    /// The error `load` throws for an input the listing found wrong, so both name it in the
    /// same words (the listing reads less, so it cannot always tell the exact fault itself);
    /// `fallback` should the load succeed after all.
    func loaderError(or fallback: DataPrepError) -> any Error {
        var options = LoadedDataset.Options()
        options.memoryCopies = 0
        do { _ = try load(options, progress: nil) } catch { return error }
        return fallback
    }
}

extension DatasetReport {
    /// The report of decoded same-shape splits (array formats): counts, shapes and histograms.
    init(path: String, format: String, data: SplitDataset) {
        let first = data.splits[0].data
        self.init(
            path: path, format: format, dtype: "uint8", classNames: first.classNames, coarseClassNames: first.coarseClassNames,
            splits: data.splits.map { split in
                SplitReport(name: split.name, count: split.data.count, shape: [split.data.height, split.data.width, split.data.channels],
                            histogram: split.data.classHistogram, coarseHistogram: split.data.coarseHistogram)
            })
    }
}
