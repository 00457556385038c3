import DataPrep

/// A picture described once, as shapes and text, and rendered two ways: by cairo into pixels
/// (`rasterized()`, for the PNG files) and as SVG (`svg`, for the HTML pages and the `.svg`
/// files), so the PNG and the vector chart can never disagree.
///
/// Coordinates are pixels from the top-left corner, as doubles: a rectangle on whole numbers
/// covers whole pixels (cairo fills it exactly, without anti-aliased edges), so data pictures
/// (confusion cells, heat maps, tiles) keep their exact colours; lines and text are
/// anti-aliased. Later elements paint over earlier ones.
public struct Drawing: Sendable {
    public let width: Int
    public let height: Int
    public var background: Color
    public private(set) var elements: [Element] = []

    public struct Point: Equatable, Sendable {
        public var x: Double, y: Double
        public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    }

    /// A line of text placed by its baseline.
    public struct Text: Sendable {
        public var string: String
        /// Anchor point: on the baseline, at the start, middle or end of the text (for vertical
        /// text, the baseline runs upward through `x`).
        public var x: Double, baseline: Double
        public var size: Double
        public var color: Color
        public var anchor: Anchor
        public var bold: Bool
        /// Turned a quarter counter-clockwise, reading upward (y-axis titles).
        public var vertical: Bool
    }

    /// Where the anchor point lies along the text.
    public enum Anchor: String, Sendable { case start, middle, end }

    /// What the anchor's other coordinate is: the top of the capitals, their middle, or the
    /// baseline (for vertical text, "top" is the left edge).
    public enum VerticalAlignment: Sendable { case top, middle, baseline }

    public enum Element: Sendable {
        case rect(x: Double, y: Double, width: Double, height: Double, fill: Color)
        /// An open polyline of `width` pixels, dashed by `dash` (on/off lengths in pixels; empty: solid).
        case polyline([Point], color: Color, width: Double, dash: [Double])
        case circle(center: Point, radius: Double, fill: Color)
        case text(Text)
        /// An RGB image with its top-left at whole pixel (x, y), each pixel enlarged to a
        /// `scaleX` x `scaleY` block (nearest neighbour: every value stays a crisp block).
        case raster(Image, x: Int, y: Int, scaleX: Int, scaleY: Int)
    }

    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "drawing needs a positive size, got \(width)x\(height)")
        self.width = width; self.height = height; self.background = background
    }

    public mutating func fill(x: Double, y: Double, width: Double, height: Double, _ color: Color) {
        elements.append(.rect(x: x, y: y, width: width, height: height, fill: color))
    }

    public mutating func fill(x: Int, y: Int, width: Int, height: Int, _ color: Color) {
        fill(x: Double(x), y: Double(y), width: Double(width), height: Double(height), color)
    }

    /// A one-pixel rectangle outline on whole pixels (crisp in both renderings).
    public mutating func frame(x: Int, y: Int, width w: Int, height h: Int, _ color: Color) {
        fill(x: x, y: y, width: w, height: 1, color)
        fill(x: x, y: y + h - 1, width: w, height: 1, color)
        fill(x: x, y: y + 1, width: 1, height: h - 2, color)
        fill(x: x + w - 1, y: y + 1, width: 1, height: h - 2, color)
    }

    public mutating func polyline(_ points: [Point], _ color: Color, width: Double = 2, dash: [Double] = []) {
        guard points.count >= 2 else { return }
        elements.append(.polyline(points, color: color, width: width, dash: dash))
    }

    public mutating func circle(_ center: Point, radius: Double, _ color: Color) {
        elements.append(.circle(center: center, radius: radius, fill: color))
    }

    /// `string` at `size` pixels (em size) in DejaVu Sans, anchored at (x, y): `anchor` says
    /// where x lies along the text, `alignment` what y is.
    public mutating func text(_ string: String, x: Double, y: Double, size: Double, _ color: Color = .ink,
                              anchor: Anchor = .start, alignment: VerticalAlignment = .top,
                              bold: Bool = false, vertical: Bool = false) {
        guard !string.isEmpty else { return }
        let cap = Typeface.capHeight * size
        let shift = alignment == .top ? cap : alignment == .middle ? cap / 2 : 0
        // Vertical text's capitals extend left of its baseline (toward smaller x).
        let position = vertical ? (x + shift, y) : (x, y + shift)
        elements.append(.text(Text(string: string, x: position.0, baseline: position.1, size: size, color: color,
                                   anchor: anchor, bold: bold, vertical: vertical)))
    }

    public mutating func raster(_ image: Image, x: Int, y: Int, scaleX: Int = 1, scaleY: Int = 1) {
        precondition(image.channels == 3 && scaleX >= 1 && scaleY >= 1,
                     "raster needs an RGB image and whole scales, got \(image.channels) channels at \(scaleX)x\(scaleY)")
        elements.append(.raster(image, x: x, y: y, scaleX: scaleX, scaleY: scaleY))
    }

    /// Copies `other`'s elements shifted by (dx, dy) (panels side by side).
    public mutating func draw(_ other: Drawing, dx: Int, dy: Int) {
        let ox = Double(dx), oy = Double(dy)
        fill(x: dx, y: dy, width: other.width, height: other.height, other.background)
        for element in other.elements {
            switch element {
            case let .rect(x, y, w, h, c): elements.append(.rect(x: x + ox, y: y + oy, width: w, height: h, fill: c))
            case let .polyline(p, c, w, d): elements.append(.polyline(p.map { Point($0.x + ox, $0.y + oy) }, color: c, width: w, dash: d))
            case let .circle(p, r, c): elements.append(.circle(center: Point(p.x + ox, p.y + oy), radius: r, fill: c))
            case var .text(t): t.x += ox; t.baseline += oy; elements.append(.text(t))
            case let .raster(i, x, y, sx, sy): elements.append(.raster(i, x: x + dx, y: y + dy, scaleX: sx, scaleY: sy))
            }
        }
    }

    /// The texts drawn, in order (for tests and accessibility text).
    public var texts: [String] {
        elements.compactMap { if case let .text(t) = $0 { t.string } else { nil } }
    }
}
