import DataPrep
import Foundation

extension Drawing {
    /// The drawing as a standalone SVG document (text as `<text>` in DejaVu Sans, so it stays
    /// sharp at any zoom and can be searched and copied); rasters are embedded PNGs drawn
    /// pixelated. Inline it in HTML as it is (the XML declaration is left out on purpose).
    ///
    /// - Parameter title: the `<title>` (what screen readers announce); nil for none.
    public func svg(title: String? = nil) throws -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\""
        out += " font-family=\"\(Self.escape(Typeface.svgFamily))\" role=\"img\">\n"
        if let title { out += "<title>\(Self.escape(title))</title>\n" }
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"\(Self.hex(background))\"/>\n"
        for element in elements {
            switch element {
            case let .rect(x, y, w, h, color):
                out += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(w))\" height=\"\(Self.number(h))\" fill=\"\(Self.hex(color))\"/>\n"
            case let .polyline(points, color, lineWidth, dash):
                let d = points.enumerated().map { i, p in (i == 0 ? "M" : "L") + Self.number(p.x) + " " + Self.number(p.y) }.joined(separator: " ")
                out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(Self.hex(color))\" stroke-width=\"\(Self.number(lineWidth))\" stroke-linejoin=\"round\""
                out += dash.isEmpty ? " stroke-linecap=\"square\"" : " stroke-linecap=\"butt\" stroke-dasharray=\"\(dash.map(Self.number).joined(separator: " "))\""
                out += "/>\n"
            case let .circle(center, radius, color):
                out += "<circle cx=\"\(Self.number(center.x))\" cy=\"\(Self.number(center.y))\" r=\"\(Self.number(radius))\" fill=\"\(Self.hex(color))\"/>\n"
            case let .text(t):
                let anchor = t.anchor == .start ? "" : " text-anchor=\"\(t.anchor.rawValue)\""
                let weight = t.bold ? " font-weight=\"bold\"" : ""
                let x = Self.number(t.x), y = Self.number(t.baseline)
                let position = t.vertical ? "transform=\"translate(\(x) \(y)) rotate(-90)\"" : "x=\"\(x)\" y=\"\(y)\""
                out += "<text \(position) font-size=\"\(Self.number(t.size))\" fill=\"\(Self.hex(t.color))\"\(anchor)\(weight)>\(Self.escape(t.string))</text>\n"
            case let .raster(image, x, y, sx, sy):
                let png = Data(try PNG.encode(image)).base64EncodedString()
                out += "<image x=\"\(x)\" y=\"\(y)\" width=\"\(image.width * sx)\" height=\"\(image.height * sy)\" preserveAspectRatio=\"none\""
                out += " style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(png)\"/>\n"
            }
        }
        return out + "</svg>\n"
    }

    /// At most two decimals, no trailing zeros, never "-0": short, exact enough (1/100 px), and
    /// the same text on every machine.
    static func number(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100 + 0
        if r == r.rounded() { return String(Int(r)) }
        var s = String(format: "%.2f", r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    static func hex(_ c: Color) -> String { String(format: "#%02x%02x%02x", c.r, c.g, c.b) }

    /// XML escaping of text and attribute values.
    static func escape(_ s: String) -> String { HTMLPage.escape(s) }
}
