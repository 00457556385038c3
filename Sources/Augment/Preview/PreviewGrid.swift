import DataPrep

/// A picture of what a pipeline does: one row per sample, the original first, then `variants`
/// augmented versions (variant `v` is what the batch loader feeds in epoch `v`), each tile with
/// a caption strip of its applied parameters. Everything derives from the seed, so the same
/// inputs give the same bytes.
public struct PreviewGrid: Sendable {
    /// One tile: where it is in the grid and what made it.
    public struct Tile: Codable, Equatable, Sendable {
        /// Sample index in the split.
        public var index: Int
        /// nil for the original, else the epoch whose augmentation the tile shows.
        public var epoch: Int?
        /// Top-left corner and size of the tile's image (without caption) in grid pixels.
        public var x: Int, y: Int, width: Int, height: Int
        public var applied: [AppliedOp]
    }

    public var image: Image
    public var tiles: [Tile]
    /// Integer upscale applied to every tile (small images are enlarged so captions fit).
    public var scale: Int

    /// Gap between tiles and around the grid, in pixels.
    static let gap = 4

    /// Renders the grid.
    ///
    /// - Parameters:
    ///   - dataset: where the samples come from; `indices` must lie in `0..<dataset.count`.
    ///   - variants: augmented tiles per row (>= 1).
    ///   - labels: caption of the original tile per index (e.g. `#12 cat`).
    ///   - captions: draw caption strips (the applied parameters are always in `tiles`).
    public static func render(dataset: ImageDataset, indices: [Int], variants: Int, pipeline: Pipeline, seed: UInt64,
                              captions: Bool = true) -> PreviewGrid {
        precondition(variants >= 1 && !indices.isEmpty, "PreviewGrid needs samples and variants, got \(indices.count) and \(variants)")
        precondition(indices.allSatisfy { (0..<dataset.count).contains($0) }, "PreviewGrid indices must lie in 0..<\(dataset.count)")
        let scale = max(1, 96 / max(dataset.width, dataset.height))
        let tileW = dataset.width * scale, tileH = dataset.height * scale
        let fontScale = tileW >= 140 ? 2 : 1
        let lines = captions ? max(1, pipeline.operations.count) : 0
        let strip = captions ? lines * BitmapFont.lineHeight * fontScale + 2 : 0
        let columns = variants + 1
        let cellH = tileH + strip
        let width = columns * tileW + (columns + 1) * gap, height = indices.count * cellH + (indices.count + 1) * gap
        var canvas = Image(width: width, height: height, channels: dataset.channels, filledWith: 128)
        var tiles: [Tile] = []
        for (row, index) in indices.enumerated() {
            let original = dataset.image(at: index)
            for column in 0..<columns {
                let x = gap + column * (tileW + gap), y = gap + row * (cellH + gap)
                let epoch = column == 0 ? nil : column - 1
                let (image, applied) = epoch.map { pipeline.augmented(original, seed: seed, epoch: $0, index: index) } ?? (original, [])
                blit(image, scale: scale, into: &canvas, x: x, y: y)
                tiles.append(Tile(index: index, epoch: epoch, x: x, y: y, width: tileW, height: tileH, applied: applied))
                guard captions else { continue }
                fill(&canvas, x: x, y: y + tileH, width: tileW, height: strip, value: 255)
                let text = epoch == nil ? ["#\(index) " + dataset.classNames[Int(dataset.labels[index])], "original"]
                                        : applied.map(\.caption).filter { !$0.isEmpty }
                for (line, caption) in text.prefix(lines).enumerated() {
                    BitmapFont.draw(caption, x: x + 1, y: y + tileH + 1 + line * BitmapFont.lineHeight * fontScale,
                                    scale: fontScale, value: 0, on: &canvas)
                }
            }
        }
        return PreviewGrid(image: canvas, tiles: tiles, scale: scale)
    }

    /// Copies `image` enlarged `scale` times (nearest) with its top-left at (x, y).
    static func blit(_ image: Image, scale: Int, into canvas: inout Image, x: Int, y: Int) {
        let c = image.channels
        for sy in 0..<(image.height * scale) {
            for sx in 0..<(image.width * scale) {
                let src = ((sy / scale) * image.width + sx / scale) * c, dst = ((y + sy) * canvas.width + x + sx) * c
                for k in 0..<c { canvas.pixels[dst + k] = image.pixels[src + k] }
            }
        }
    }

    static func fill(_ canvas: inout Image, x: Int, y: Int, width: Int, height: Int, value: UInt8) {
        for row in y..<(y + height) { for column in x..<(x + width) { canvas.set(x: column, y: row, value: value) } }
    }
}
