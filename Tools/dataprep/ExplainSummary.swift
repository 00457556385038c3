import DataPrep
import Foundation
import Train

/// What `dataprep explain` found and wrote: printed with `--json` and saved as `explain.json`
/// in the output folder (which also marks the folder as replaceable by a later run).
struct ExplainSummary: Codable {
    struct Occlusion: Codable {
        var patch: Int
        var stride: Int
        /// The fill as a byte (0 = black) before normalisation.
        var fill: Int
        var positions: Int
        /// p(class) of the unoccluded input.
        var baseline: Float
        /// Largest per-pixel mean |Δp| and where it is (first in row-major order).
        var maximum: Float
        var maximumAt: [Int]
        var picture: String
        var csv: String
    }

    struct Activation: Codable {
        var layer: String
        var path: String
        var shape: [Int]
        var file: String
    }

    var checkpoint: String
    var input: String
    /// Split and index of the sample (nil for a single image file).
    var split: String?
    var index: Int?
    var source: String
    var trueClass: String?
    var classNames: [String]
    var probabilities: [Float]
    var predictedClass: String
    var predictedIndex: Int
    /// The class whose probability occlusion watched.
    var explainedClass: String
    var explainedIndex: Int
    var occlusion: Occlusion
    var activations: [Activation]
    /// Layer statistics (dataset inputs only).
    var statisticsSamplesPerClass: Int?
    var statistics: [LayerStatistics.Row]?
    var statisticsFile: String?
    /// The output folder and every file written into it.
    var out: String
    var files: [String]

    static let fileName = "explain.json"
}

extension ExplainSummary {
    /// Whether `folder` is an earlier `explain` output a new run may replace: its `explain.json`
    /// decodes as a summary (a foreign file with that name does not carry our two dozen keys) and
    /// the folder holds only the files that summary lists (plus interrupted temp files).
    static func isReplaceable(_ folder: String) -> Bool {
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
