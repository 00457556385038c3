import Train

/// The history column that picks a run's best epoch and ranks runs (`--metric`): losses are
/// better lower, accuracies higher. The names are the columns of `history.csv`.
public struct EpochMetric: Equatable, Sendable {
    public static let names = ["val_loss", "val_accuracy", "loss", "accuracy", "val_data_loss", "data_loss"]
    public let name: String

    public init(parsing name: String) throws {
        guard Self.names.contains(name) else {
            throw WorkflowError.invalidRequest("--metric \(name): expected one of \(Self.names.joined(separator: ", "))")
        }
        self.name = name
    }

    /// A name known to be in `names`.
    init(known name: String) {
        precondition(Self.names.contains(name), "unknown metric \(name)")
        self.name = name
    }

    public var higherIsBetter: Bool { name.hasSuffix("accuracy") }

    public func value(of record: EpochRecord) -> Double? {
        switch name {
        case "val_loss": return record.validationLoss
        case "val_accuracy": return record.validationAccuracy
        case "loss": return record.loss
        case "accuracy": return record.accuracy
        case "val_data_loss": return record.validationDataLoss
        default: return record.dataLoss
        }
    }

    /// Whether `a` is strictly better than `b`.
    public func isBetter(_ a: Double, than b: Double) -> Bool { higherIsBetter ? a > b : a < b }

    /// The epoch with the best value (the first of equals, as Keras's ModelCheckpoint keeps
    /// the first), nil when no epoch has one (`val_*` of a run without validation).
    public func bestEpoch(in history: [EpochRecord]) -> EpochRecord? {
        var best: (record: EpochRecord, value: Double)?
        for record in history {
            guard let value = value(of: record), value.isFinite else { continue }
            if best == nil || isBetter(value, than: best!.value) { best = (record, value) }
        }
        return best?.record
    }
}
