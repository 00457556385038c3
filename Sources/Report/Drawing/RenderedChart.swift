import DataPrep

/// A chart in both of its forms: the PNG cairo rendered (for users who want a file to paste
/// or attach) and the SVG (inlined in the HTML reports, crisp at any zoom).
public struct RenderedChart: Sendable {
    public var png: [UInt8]
    public var svg: String
    public var width: Int, height: Int

    /// Renders `drawing`; `title` becomes the SVG's `<title>` (its accessible name).
    ///
    /// - Throws: `DataPrepError.unsupported` for a drawing past cairo's 32767 px a side
    ///   (`rasterized()` checks the same limit as a precondition; every file goes through here).
    public init(_ drawing: Drawing, title: String) throws {
        guard drawing.width <= Drawing.maxSide && drawing.height <= Drawing.maxSide else {
            throw DataPrepError.unsupported(path: title, reason: "the chart would be \(drawing.width)x\(drawing.height) px; "
                                            + "cairo draws at most \(Drawing.maxSide) px a side")
        }
        png = try drawing.rasterized().pngData()
        svg = try drawing.svg(title: title)
        width = drawing.width; height = drawing.height
    }

    /// Writes `NAME.png` and `NAME.svg` into `directory`, each atomically.
    public func write(to directory: String, name: String) throws {
        try FileIO.writeAtomically(png, to: joinPath(directory, name + ".png"))
        try FileIO.writeAtomically(Array(svg.utf8), to: joinPath(directory, name + ".svg"))
    }
}

extension HTMLPage {
    /// A chart inlined as SVG in a `<figure>` with `id`: vector lines and real text the
    /// browser draws at the screen's resolution (the SVG comes from `Drawing.svg`, which
    /// escapes every text it holds).
    public mutating func chart(_ chart: RenderedChart, id: String) {
        raw("<figure class=\"chart\" id=\"\(Self.escape(id))\">\(chart.svg)</figure>")
    }
}
