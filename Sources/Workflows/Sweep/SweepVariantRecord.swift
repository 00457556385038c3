import DataPrep
import Foundation

/// `RUN/sweep-variant.json`, written when a variant has finished training (and its test
/// evaluation): the sweep's settings for `compare`, the seed, the wall time, and the test
/// figures. Its presence is what `--resume` skips a variant by.
public struct SweepVariantRecord: Codable, Equatable, Sendable {
    public static let fileName = "sweep-variant.json"
    public var settings: SweepSettings
    public var seed: UInt64
    /// The variant's name without its seed (runs of one variant over `--repeat` seeds share it).
    public var group: String
    /// Seconds from loading to the record, of the session that finished the variant.
    public var wallSeconds: Double
    public var test: TestFigures?

    /// A checkpoint's figures on the data's test split (RUN/best, as `evaluate RUN` measures it).
    public struct TestFigures: Codable, Equatable, Sendable {
        public var split: String
        public var accuracy: Double
        public var loss: Double
        /// The evaluation folder (predictions, confusion matrix, report).
        public var directory: String
    }

    public func write(to run: String) throws {
        try FileIO.writeAtomically(Array(try JSONEncoder.sortedPretty.encode(self)) + [10], to: joinPath(run, Self.fileName))
    }

    /// The record of `run`, nil when it has none (a run `sweep` did not finish or did not make).
    public static func read(from run: String) throws -> SweepVariantRecord? {
        let path = joinPath(run, fileName)
        guard FileIO.exists(path) else { return nil }
        do { return try JSONDecoder().decode(SweepVariantRecord.self, from: Data(try FileIO.read(path))) } catch {
            throw SweepError.outputRefused(path: path, reason: "unreadable sweep record (\(error))")
        }
    }
}
