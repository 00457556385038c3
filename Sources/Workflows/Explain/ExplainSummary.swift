import DataPrep
import Foundation
import Train

/// What `dataprep explain` found and wrote: printed with `--json` and saved as `explain.json`
/// in the output folder (which also marks the folder as replaceable by a later run).
public struct ExplainSummary: Codable {
    public struct Occlusion: Codable {
        public var patch: Int
        public var stride: Int
        /// The fill as a byte (0 = black) before normalisation.
        public var fill: Int
        public var positions: Int
        /// p(class) of the unoccluded input.
        public var baseline: Float
        /// Largest per-pixel mean |Δp| and where it is (first in row-major order).
        public var maximum: Float
        public var maximumAt: [Int]
        public var picture: String
        public var csv: String
    }

    public struct Activation: Codable {
        public var layer: String
        public var path: String
        public var shape: [Int]
        public var file: String
    }

    public var checkpoint: String
    public var input: String
    /// Split and index of the sample (nil for a single image file).
    public var split: String?
    public var index: Int?
    public var source: String
    public var trueClass: String?
    public var classNames: [String]
    public var probabilities: [Float]
    public var predictedClass: String
    public var predictedIndex: Int
    /// The class whose probability occlusion watched.
    public var explainedClass: String
    public var explainedIndex: Int
    public var occlusion: Occlusion
    public var activations: [Activation]
    /// Layer statistics (dataset inputs only).
    public var statisticsSamplesPerClass: Int?
    public var statistics: [LayerStatistics.Row]?
    public var statisticsFile: String?
    /// The output folder and every file written into it.
    public var out: String
    public var files: [String]

    public static let fileName = "explain.json"
}

extension ExplainSummary {
    /// Whether `folder` is an earlier `explain` output a new run may replace: its `explain.json`
    /// decodes as a summary (a foreign file with that name does not carry our two dozen keys) and
    /// the folder holds only the files that summary lists (plus interrupted temp files).
    public static func isReplaceable(_ folder: String) -> Bool {
        guard let bytes = try? JSONInputLimits.standard.read(joinPath(folder, fileName)),
              let summary = try? JSONDecoder().decode(ExplainSummary.self, from: Data(bytes)),
              let entries = try? FileIO.listAll(folder) else { return false }
        let allowed = Set(summary.files + [fileName])
        return entries.allSatisfy { allowed.contains($0) || ($0.hasPrefix(".") && $0.contains(".tmp-")) }
    }

    /// Throws unless every file the summary lists was written into `folder`.
    func verifyComplete(_ folder: String) throws {
        for file in files where !FileIO.exists(joinPath(folder, file)) {
            throw DataPrepError.inconsistent(path: joinPath(folder, file), reason: "missing from the staged output; not committed")
        }
    }
}
