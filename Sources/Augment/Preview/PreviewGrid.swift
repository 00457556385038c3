import DataPrep

/// A picture of what a pipeline does: one row per sample, the original first, then `variants`
/// augmented versions (variant `v` is what the batch loader feeds in epoch `v`), each tile with
/// a white caption strip for its applied parameters. Everything derives from the seed, so the
/// same inputs give the same bytes.
///
/// The grid leaves the strips blank and lists their text in `captions`: setting type is
/// Report's job (cairo and DejaVu Sans), so Augment stays pixel kernels without a font or a
/// drawing library (`augment preview` in Workflows joins the two).
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

    /// A caption strip under a tile and the lines to write in it, top to bottom.
    public struct Caption: Equatable, Sendable {
        public var x: Int, y: Int, width: Int, height: Int
        public var lines: [String]
    }

    public var image: Image
    public var tiles: [Tile]
    /// One per tile when captions were asked for, else empty.
    public var captions: [Caption]
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
    ///   - captionLineHeight: pixels per caption line, or nil for no caption strips (the applied
    ///     parameters are always in `tiles`). Strips hold one line per pipeline operation.
    public static func render(dataset: ImageDataset, indices: [Int], variants: Int, pipeline: Pipeline, seed: UInt64,
                              captionLineHeight: Int? = nil) -> PreviewGrid {
        precondition(variants >= 1 && !indices.isEmpty, "PreviewGrid needs samples and variants, got \(indices.count) and \(variants)")
        precondition(indices.allSatisfy { (0..<dataset.count).contains($0) }, "PreviewGrid indices must lie in 0..<\(dataset.count)")
        let scale = Self.scale(width: dataset.width, height: dataset.height)
        let tileW = dataset.width * scale, tileH = dataset.height * scale
        let lines = captionLineHeight == nil ? 0 : max(2, pipeline.operations.count)
        let strip = captionLineHeight.map { lines * $0 + 4 } ?? 0
        let columns = variants + 1
        let cellH = tileH + strip
        let width = columns * tileW + (columns + 1) * gap, height = indices.count * cellH + (indices.count + 1) * gap
        var canvas = Image(width: width, height: height, channels: dataset.channels, filledWith: 128)
        var tiles: [Tile] = [], captions: [Caption] = []
        for (row, index) in indices.enumerated() {
            let original = dataset.image(at: index)
            for column in 0..<columns {
                let x = gap + column * (tileW + gap), y = gap + row * (cellH + gap)
                let epoch = column == 0 ? nil : column - 1
                let (image, applied) = epoch.map { pipeline.augmented(original, seed: seed, epoch: $0, index: index) } ?? (original, [])
                blit(image, scale: scale, into: &canvas, x: x, y: y)
                tiles.append(Tile(index: index, epoch: epoch, x: x, y: y, width: tileW, height: tileH, applied: applied))
                guard captionLineHeight != nil else { continue }
                fill(&canvas, x: x, y: y + tileH, width: tileW, height: strip, value: 255)
                let text = epoch == nil ? ["#\(index) " + dataset.classNames[Int(dataset.labels[index])], "original"]
                                        : applied.map(\.caption).filter { !$0.isEmpty }
                captions.append(Caption(x: x, y: y + tileH, width: tileW, height: strip, lines: Array(text.prefix(lines))))
            }
        }
        return PreviewGrid(image: canvas, tiles: tiles, captions: captions, scale: scale)
    }

    /// Integer upscale of `width` x `height` images: about 96 pixels a side.
    public static func scale(width: Int, height: Int) -> Int { max(1, 96 / max(width, height)) }

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
        let c = canvas.channels
        for row in y..<(y + height) {
            let start = (row * canvas.width + x) * c
            for i in start..<(start + width * c) { canvas.pixels[i] = value }
        }
    }
}
