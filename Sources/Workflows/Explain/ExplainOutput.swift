import DataPrep
import Foundation
import Report
import Train

/// The files of an `explain` run, written into a hidden staging folder and moved into place
/// only when every file the summary lists is there (an earlier explain output is replaced).
struct ExplainOutput {
    let summary: ExplainSummary
    let map: OcclusionMap
    let image: Image
    let activations: [LayerActivations]
    let statistics: LayerStatistics?

    func write() throws {
        let staged = try StagedDirectory(finalPath: summary.out, replaceable: ExplainSummary.isReplaceable)
        do {
            let dir = staged.stagingPath
            let shown = image.channels == 1 || image.channels == 3 ? image : image.converted(to: .rgb)
            let title = "Occlusion, class \(summary.explainedClass) (p = " + String(format: "%.3f", Double(map.baseline)) + ")"
            try RenderedChart(OcclusionOverlay(image: shown, heat: map.values, title: title).drawing(),
                              title: "Input and occlusion sensitivity for class \(summary.explainedClass)").write(to: dir, name: "occlusion")
            try FileIO.writeAtomically(Array(map.csv.utf8), to: joinPath(dir, "occlusion.csv"))
            for a in activations {
                let grid = ActivationGrid(title: "\(a.layer.name) \(a.layer.outputShape)", maps: (0..<a.mapCount).map(a.map),
                                          mapHeight: a.mapSize.height, mapWidth: a.mapSize.width)
                try RenderedChart(grid.drawing(), title: "Activations of \(a.layer.name), one tile per channel")
                    .write(to: dir, name: "activations-\(a.layer.name)")
            }
            if let statistics { try FileIO.writeAtomically(Array(statistics.csv.utf8), to: joinPath(dir, "layer-stats.csv")) }
            try FileIO.writeAtomically(Array(try JSONEncoder.sortedPretty.encode(summary)), to: joinPath(dir, ExplainSummary.fileName))
            try staged.commit(verify: summary.verifyComplete)
        } catch {
            staged.discard()
            throw error
        }
    }
}

extension JSONEncoder {
    /// Pretty, key-sorted JSON without escaped slashes: every JSON file and `--json` result.
    public static var sortedPretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
