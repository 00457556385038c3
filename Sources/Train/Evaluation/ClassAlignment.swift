import DataPrep

/// Matches a dataset's classes to a model's by name before evaluation.
///
/// Label indices only mean something together with the class list they index: a test folder
/// that lacks one class folder numbers its classes differently from the training data. So the
/// dataset's labels are rewritten to the model's indices by class name; every dataset class
/// must be one the model knows, while model classes absent from the data simply get no support.
public enum ClassAlignment {
    /// `dataset` relabelled to index `modelClasses` (returned unchanged when the lists are equal).
    ///
    /// - Throws: `TrainError.incompatibleData` naming the dataset classes the model lacks, or
    ///   when both lists have the same length but different names (a likely mix-up of runs).
    public static func align(_ dataset: ImageDataset, to modelClasses: [String]) throws -> ImageDataset {
        if dataset.classNames == modelClasses { return dataset }
        let index = Dictionary(modelClasses.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let unknown = dataset.classNames.filter { index[$0] == nil }
        guard unknown.isEmpty else {
            throw TrainError.incompatibleData(reason: "the data has classes the checkpoint does not know: "
                + "\(unknown.prefix(8).joined(separator: ", "))\(unknown.count > 8 ? "…" : "") "
                + "(the checkpoint's classes: \(modelClasses.prefix(8).joined(separator: ", "))\(modelClasses.count > 8 ? "…" : ""))")
        }
        let map = dataset.classNames.map { Int32(index[$0]!) }
        var aligned = dataset
        aligned.labels = dataset.labels.map { map[Int($0)] }
        aligned.classNames = modelClasses
        return aligned
    }
}
