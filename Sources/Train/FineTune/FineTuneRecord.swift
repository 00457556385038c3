import DataPrep
import Foundation

/// What a fine-tune run started from, saved as `RUN/fine-tune.json` beside the checkpoints.
///
/// The checkpoints themselves already carry everything needed to resume or evaluate (the grown
/// head in the spec and tensors, `frozen` on the frozen layers); this file keeps the lineage a
/// person asks about later: which checkpoint, which classes were added, what was frozen.
public struct FineTuneRecord: Codable, Equatable, Sendable {
    public struct FrozenLayer: Codable, Equatable, Sendable {
        public var index: Int
        /// Keras-style name, as `dataprep model summary` prints it.
        public var name: String
        /// Checkpoint tensor prefix (`layers.0.conv`).
        public var path: String
    }

    public static let fileName = "fine-tune.json"

    /// The source checkpoint folder.
    public var source: String
    public var sourceClasses: [String]
    public var addedClasses: [String]
    public var frozenLayers: [FrozenLayer]
    public var reinitializedHead: Bool
    /// The head layer's index and its output count before and after (nil when untouched).
    public var headLayer: Int?
    public var headUnits: [Int]?
    public var trainableParameters: Int
    public var nonTrainableParameters: Int

    /// The record of a fine-tune of the checkpoint folder `source` (whose model is `sourceSpec`)
    /// by `plan`; `summary` describes the network `FineTuneModel.build` made from it.
    public init(source: String, plan: FineTunePlan, summary: ModelSummary, sourceSpec: ModelSpec) {
        self.source = source
        sourceClasses = plan.classes.kept
        addedClasses = plan.classes.added
        frozenLayers = plan.frozenLayers.map { FrozenLayer(index: $0, name: summary.layers[$0].name, path: summary.layers[$0].path) }
        reinitializedHead = plan.reinitializeHead
        let head = !plan.classes.added.isEmpty || plan.reinitializeHead ? FineTuneModel.headLayer(of: sourceSpec) : nil
        headLayer = head
        headUnits = head.map { h in
            let units = sourceSpec.layers[h].units ?? 1
            return [units, plan.classes.added.isEmpty ? units : plan.classes.classNames.count]
        }
        trainableParameters = summary.trainableParameters
        nonTrainableParameters = summary.nonTrainableParameters
    }

    /// Writes `fine-tune.json` into `directory`, atomically.
    public func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileIO.writeAtomically(Array(try encoder.encode(self)), to: joinPath(directory, Self.fileName))
    }
}
