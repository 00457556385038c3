import DataPrep

/// Lines of text set into blank strips of an existing picture (the augmentation preview's
/// caption strips), in DejaVu Sans by cairo. Everything outside the text keeps its exact bytes:
/// the picture goes in as a raster and only glyphs are drawn over it.
public enum CaptionStamp {
    /// A strip and its lines, top to bottom.
    public struct Block: Sendable {
        public var x: Int, y: Int, width: Int, height: Int
        public var lines: [String]

        public init(x: Int, y: Int, width: Int, height: Int, lines: [String]) {
            self.x = x; self.y = y; self.width = width; self.height = height; self.lines = lines
        }
    }

    /// Font size of captions under tiles `tileWidth` pixels wide: 10 px under small tiles
    /// (MNIST's 28 px enlarged 3x: about 15 characters a line), 13 px from 140 px up.
    public static func size(tileWidth: Int) -> Double { tileWidth >= 140 ? 13 : 10 }

    /// Pixels per caption line at `size`.
    public static func lineHeight(size: Double) -> Int { ChartText.lineHeight(size) }

    /// `image` (gray or RGB) with each block's lines written in black from its top-left, 2 px in;
    /// a line wider than its strip is cut and ends with "…", so text never covers a tile.
    public static func stamp(_ blocks: [Block], size: Double, on image: Image) -> Image {
        precondition(image.channels == 1 || image.channels == 3, "captions go on gray or RGB pictures, got \(image.channels) channels")
        guard !blocks.isEmpty else { return image }
        var rgb = image
        if image.channels == 1 {
            rgb = Image(width: image.width, height: image.height, channels: 3, pixels: image.pixels.flatMap { [$0, $0, $0] })
        }
        var d = Drawing(width: image.width, height: image.height)
        d.raster(rgb, x: 0, y: 0)
        let line = lineHeight(size: size)
        for block in blocks {
            for (i, text) in block.lines.enumerated() {
                d.line(fitted(text, width: Double(block.width - 4), size: size), x: Double(block.x + 2),
                       top: Double(block.y + 2 + i * line), size: size, .black)
            }
        }
        let canvas = d.rasterized()
        // Black text on white strips is gray: one channel keeps every value.
        return image.channels == 3 ? canvas.image
            : Image(width: image.width, height: image.height, channels: 1, pixels: stride(from: 0, to: canvas.pixels.count, by: 3).map { canvas.pixels[$0] })
    }

    /// `text`, cut to fit `width` pixels with a trailing "…" when it does not.
    static func fitted(_ text: String, width: Double, size: Double) -> String {
        guard Typeface.width(text, size: size) > width else { return text }
        var kept = Substring(text)
        while !kept.isEmpty && Typeface.width(kept + "…", size: size) > width { kept = kept.dropLast() }
        return kept + "…"
    }
}
