import Augment
import DataPrep
import Foundation
import Report

/// `augment preview`: a PNG grid of samples, the original first and then augmented variants
/// (variant v is what training with the same seed feeds in epoch v), with a JSON sidecar
/// listing each tile's applied parameters.
public struct AugmentPreview {
    /// Any dataset `train` reads.
    public var source: String
    /// The PNG to write; the sidecar goes beside it with a .json extension.
    public var out: String
    public var pipeline: Pipeline
    public var seed: UInt64
    /// Rows, spread evenly over the split, unless `indices` names them.
    public var samples = 4
    public var indices: [Int]?
    /// Augmented tiles per row.
    public var variants = 8
    /// The split to show; nil for train, else the first.
    public var split: String?
    public var resize: (width: Int, height: Int)?
    public var decoding = DecodeChoice()
    public var threads = Parallel.defaultThreads
    public var captions = true

    public init(source: String, out: String, pipeline: Pipeline, seed: UInt64) {
        self.source = source
        self.out = out
        self.pipeline = pipeline
        self.seed = seed
    }

    /// Path of the JSON sidecar beside the PNG.
    public var sidecarPath: String { String(out.dropLast(4)) + ".json" }

    /// Writes the grid and its sidecar.
    public func run() throws -> PreviewSummary {
        let loaded = try LoadedDataset.load(path: source, options: LoadedDataset.Options(size: resize, color: decoding.color, threads: threads,
                                                                                           decode: decoding.decode))
        let splitName = split ?? (loaded.splits["train"] != nil ? "train" : loaded.splits.splits.first?.name ?? "")
        guard let data = loaded.splits[splitName] else {
            throw WorkflowError.invalidRequest("no split '\(splitName)' in \(source); it has: \(loaded.splits.splits.map(\.name).joined(separator: ", "))")
        }
        guard data.count > 0 else { throw DataPrepError.notADataset(path: source, reason: "split '\(splitName)' is empty") }
        let chosen: [Int]
        if let indices {
            if let bad = indices.first(where: { $0 >= data.count }) {
                throw WorkflowError.invalidRequest("--indices: \(bad) is outside split '\(splitName)' (0..<\(data.count))")
            }
            chosen = indices
        } else {
            let n = min(samples, data.count)
            chosen = (0..<n).map { $0 * data.count / n }
        }
        // Augment lays out the grid and leaves the caption strips blank; Report sets their type.
        let size = CaptionStamp.size(tileWidth: data.width * PreviewGrid.scale(width: data.width, height: data.height))
        var grid = PreviewGrid.render(dataset: data, indices: chosen, variants: variants, pipeline: pipeline, seed: seed,
                                      captionLineHeight: captions ? CaptionStamp.lineHeight(size: size) : nil)
        grid.image = CaptionStamp.stamp(grid.captions.map { .init(x: $0.x, y: $0.y, width: $0.width, height: $0.height, lines: $0.lines) },
                                        size: size, on: grid.image)
        let origins = loaded.splits.splits.firstIndex { $0.name == splitName }.map { loaded.origins[$0] } ?? SampleOrigins([])
        let sidecar = PreviewSidecar(source: source, split: splitName, seed: seed, png: lastPathComponent(out), scale: grid.scale,
                                     pipeline: pipeline,
                                     samples: chosen.map { i in
                                         PreviewSidecar.Sample(index: i, label: Int(data.labels[i]), className: data.classNames[Int(data.labels[i])],
                                                               origin: i < origins.count ? origins[i] : nil,
                                                               tiles: grid.tiles.filter { $0.index == i })
                                     })
        try PNG.write(grid.image, to: out)
        try FileIO.writeAtomically(Array(try JSONEncoder.sortedPretty.encode(sidecar)) + [10], to: sidecarPath)
        return PreviewSummary(png: out, sidecar: sidecarPath, seed: seed, split: splitName, indices: chosen,
                              variants: variants, width: grid.image.width, height: grid.image.height)
    }
}

/// The JSON sidecar of a preview grid.
public struct PreviewSidecar: Encodable {
    public struct Sample: Encodable {
        public let index: Int
        public let label: Int
        public let className: String
        public let origin: String?
        public let tiles: [PreviewGrid.Tile]
    }

    public let source: String
    public let split: String
    public let seed: UInt64
    public let png: String
    /// Tiles are the images enlarged this many times (nearest).
    public let scale: Int
    public let pipeline: Pipeline
    public let samples: [Sample]
}

/// What `augment preview` wrote (its `--json` output).
public struct PreviewSummary: Encodable {
    public let png: String
    public let sidecar: String
    public let seed: UInt64
    public let split: String
    public let indices: [Int]
    public let variants: Int
    public let width: Int
    public let height: Int
}
