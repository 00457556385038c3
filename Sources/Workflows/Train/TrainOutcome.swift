import Train

/// The `--json` result of `train`: where the run is, why it stopped, and its history.
public struct TrainResult: Encodable {
    public let run: String
    public let stopReason: String
    public let seed: UInt64
    public let epochs: Int
    public let bestEpoch: Int?
    public let bestLoss: Double?
    public let history: [EpochRecord]
}

/// What a training session ends with: the result, why it stopped, and the run folder.
public struct TrainOutcome {
    public let result: TrainResult
    public let reason: StopReason
    public let run: TrainingRun

    /// The closing line of a finished (not interrupted) run.
    public var closingLine: String {
        "\(reason == .earlyStopped ? "stopped early" : "done"): best epoch \(result.bestEpoch.map(String.init) ?? "-"); checkpoints in \(run.bestDirectory) and \(run.lastDirectory)"
    }
}

/// The `--json` result of `fine-tune`: the training result plus where the run came from.
public struct FineTuneResult: Encodable {
    public let training: TrainResult
    public let classNames: [String]
    /// Nil when resuming (the run's fine-tune.json has it).
    public let fineTune: FineTuneRecord?
    public let trainableParameters: Int
    public let nonTrainableParameters: Int
}
