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
