import DataPrep
import Foundation

/// An occlusion map laid over the image the model saw, written as `occlusion.png`: the input on
/// the left, the overlay on the right, both enlarged by the same integer factor (nearest
/// neighbour, so every model pixel stays a crisp square), and a `viridis` colour bar from 0 to
/// the map's maximum underneath.
///
/// The heat is normalised by its maximum and blended with an opacity that grows with it
/// (`maxAlpha · h`), so pixels the model ignores (heat 0) keep the image's own colour exactly and
/// the eye goes straight to the regions that matter; a constant blend would tint everything.
public struct OcclusionOverlay: Sendable {
    /// The sample as bytes (1 or 3 channels), the map's size.
    public var image: Image
    /// `image.height * image.width` heat values, row-major.
    public var heat: [Float]
    public var title: String

    /// Opacity of the colour at the hottest pixel.
    public static let maxAlpha = 0.7
    static let margin = 8

    public init(image: Image, heat: [Float], title: String) {
        precondition(image.channels == 1 || image.channels == 3, "overlay needs a gray or RGB image, got \(image.channels) channels")
        precondition(heat.count == image.width * image.height,
                     "heat has \(heat.count) values for a \(image.width)x\(image.height) image")
        self.image = image; self.heat = heat; self.title = title
    }

    /// Integer enlargement: small inputs (MNIST's 28 px) grow to about 256 px; large ones stay.
    public var scale: Int { max(1, 256 / max(image.width, image.height)) }

    /// Largest heat; what the colour bar's right end stands for.
    public var maximum: Float { heat.max() ?? 0 }

    /// Top-left corners of the input panel and of the overlay panel.
    public var inputOrigin: (x: Int, y: Int) { (Self.margin, Self.panelTop) }
    public var overlayOrigin: (x: Int, y: Int) { (2 * Self.margin + image.width * scale, Self.panelTop) }
    static var panelTop: Int { 8 + ChartText.lineHeight(ChartText.title) + 8 }

    /// The colour of one overlay pixel: `base` blended toward viridis(`h`) by `maxAlpha · h`,
    /// `h` the heat divided by the map's maximum (in [0, 1]).
    public static func blend(_ base: Color, heat h: Double) -> Color {
        let h = min(max(h.isNaN ? 0 : h, 0), 1)
        return h == 0 ? base : base.mixed(with: Viridis.color(h), maxAlpha * h)
    }

    /// The picture rendered by cairo.
    public func render() -> Canvas { drawing().rasterized() }

    /// The picture as shapes and text: both panels and the colour bar are exact rasters (each
    /// model pixel a crisp `scale`-sided square), only the titles and numbers are text.
    public func drawing() -> Drawing {
        let s = scale, panelW = image.width * s, panelH = image.height * s, m = Self.margin
        let captionLine = ChartText.lineHeight(ChartText.caption)
        let captionY = Self.panelTop + panelH + 4
        let barY = captionY + captionLine + 6, barH = 10
        let width = max(3 * m + 2 * panelW, ChartText.width(title, size: ChartText.title) + 2 * m)
        let height = barY + barH + 4 + ChartText.lineHeight(ChartText.tick) + m
        var d = Drawing(width: width, height: height)
        d.line(title, x: Double(width) / 2, top: 8, size: ChartText.title, anchor: .middle)
        let top = maximum
        var input = Image(width: image.width, height: image.height, channels: 3, filledWith: 0)
        var overlay = input
        for y in 0..<image.height {
            for x in 0..<image.width {
                let base = pixel(x: x, y: y)
                let h = top > 0 ? Double(heat[y * image.width + x] / top) : 0
                let blended = Self.blend(base, heat: h), i = (y * image.width + x) * 3
                (input.pixels[i], input.pixels[i + 1], input.pixels[i + 2]) = (base.r, base.g, base.b)
                (overlay.pixels[i], overlay.pixels[i + 1], overlay.pixels[i + 2]) = (blended.r, blended.g, blended.b)
            }
        }
        d.raster(input, x: inputOrigin.x, y: inputOrigin.y, scaleX: s, scaleY: s)
        d.raster(overlay, x: overlayOrigin.x, y: overlayOrigin.y, scaleX: s, scaleY: s)
        d.line("Input", x: Double(inputOrigin.x) + Double(panelW) / 2, top: Double(captionY), size: ChartText.caption, anchor: .middle)
        d.line("Occlusion sensitivity", x: Double(overlayOrigin.x) + Double(panelW) / 2, top: Double(captionY), size: ChartText.caption, anchor: .middle)
        var bar = Image(width: panelW, height: 1, channels: 3, filledWith: 0)
        for x in 0..<panelW {
            let c = Viridis.color(Double(x) / Double(max(1, panelW - 1)))
            (bar.pixels[3 * x], bar.pixels[3 * x + 1], bar.pixels[3 * x + 2]) = (c.r, c.g, c.b)
        }
        d.raster(bar, x: overlayOrigin.x, y: barY, scaleY: barH)
        // Round ticks under the bar, as matplotlib's colour bar has them (the ends included).
        let labelTop = Double(barY + barH + 4)
        for (v, label) in Self.barTicks(maximum: Double(top)) {
            let x = overlayOrigin.x + Int((v / max(Double(top), .leastNormalMagnitude) * Double(panelW - 1)).rounded())
            d.fill(x: x, y: barY + barH, width: 1, height: 3, .ink)
            let anchor: Drawing.Anchor = v == 0 ? .start : v == Double(top) ? .end : .middle
            d.line(label, x: anchor == .end ? Double(x + 1) : anchor == .start ? Double(x) : Double(x) + 0.5, top: labelTop,
                   size: ChartText.tick, anchor: anchor)
        }
        return d
    }

    /// Colour bar ticks for heat 0...`maximum`: round steps inside the range, plus 0 and the
    /// maximum itself (`%.3g`) at the ends; inner ticks too close to the maximum are dropped.
    static func barTicks(maximum: Double) -> [(value: Double, label: String)] {
        guard maximum > 0 else { return [(0, "0")] }
        let ticks = AxisTicks(low: 0, high: maximum, target: 4)
        let inner = ticks.values.filter { $0 > 0 && $0 < maximum - ticks.step / 2 }.map { ($0, ticks.label($0)) }
        return [(0, "0")] + inner + [(maximum, String(format: "%.3g", maximum))]
    }

    /// The image's colour at (x, y) (gray repeated on three channels).
    func pixel(x: Int, y: Int) -> Color {
        let i = (y * image.width + x) * image.channels
        return image.channels == 1 ? Color(image.pixels[i], image.pixels[i], image.pixels[i])
                                   : Color(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
    }
}
