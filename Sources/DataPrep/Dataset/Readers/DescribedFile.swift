/// A file `info` describes that is not a dataset by itself (a lone IDX array, one image): the
/// one dispatch still recognises it, so `info` can report it and every other command refuses
/// it with the same typed error, naming what to pass instead.
public protocol DescribedFile: DatasetReader {
    /// Why it is not a dataset, and what to pass instead.
    var refusalReason: String { get }
}

extension DescribedFile {
    public func listing() throws -> DatasetListing { throw refusal }

    public func load(_ options: LoadedDataset.Options, progress: (@Sendable (Int, Int) -> Void)?) throws -> LoadedDataset { throw refusal }

    private var refusal: DataPrepError { .notADataset(path: path, reason: refusalReason) }
}
