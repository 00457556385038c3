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
    static var panelTop: Int { 6 + Canvas.textHeight(scale: 2) + 8 }

    /// The colour of one overlay pixel: `base` blended toward viridis(`h`) by `maxAlpha · h`,
    /// `h` the heat divided by the map's maximum (in [0, 1]).
    public static func blend(_ base: Color, heat h: Double) -> Color {
        let h = min(max(h.isNaN ? 0 : h, 0), 1)
        return h == 0 ? base : base.mixed(with: Viridis.color(h), maxAlpha * h)
    }

    /// The picture on a new canvas.
    public func render() -> Canvas {
        let s = scale, panelW = image.width * s, panelH = image.height * s, m = Self.margin
        let labelGlyph = Canvas.textHeight(scale: 1)
        let captionY = Self.panelTop + panelH + 4
        let barY = captionY + labelGlyph + 6, barH = 10
        let width = max(3 * m + 2 * panelW, Canvas.textWidth(title, scale: 2) + 2 * m)
        let height = barY + barH + 4 + labelGlyph + m
        var canvas = Canvas(width: width, height: height)
        canvas.text(title, x: width / 2, y: 6, scale: 2, anchor: .center)
        let top = maximum
        let input = inputOrigin, overlay = overlayOrigin
        for y in 0..<image.height {
            for x in 0..<image.width {
                let base = pixel(x: x, y: y)
                let h = top > 0 ? Double(heat[y * image.width + x] / top) : 0
                canvas.fill(x: input.x + x * s, y: input.y + y * s, width: s, height: s, base)
                canvas.fill(x: overlay.x + x * s, y: overlay.y + y * s, width: s, height: s, Self.blend(base, heat: h))
            }
        }
        canvas.text("INPUT", x: input.x + panelW / 2, y: captionY, scale: 1, anchor: .center)
        canvas.text("OCCLUSION", x: overlay.x + panelW / 2, y: captionY, scale: 1, anchor: .center)
        for x in 0..<panelW {
            canvas.fill(x: overlay.x + x, y: barY, width: 1, height: barH, Viridis.color(Double(x) / Double(max(1, panelW - 1))))
        }
        canvas.text("0", x: overlay.x, y: barY + barH + 4, scale: 1)
        canvas.text(String(format: "%.3g", Double(top)), x: overlay.x + panelW, y: barY + barH + 4, scale: 1, anchor: .end)
        return canvas
    }

    /// The image's colour at (x, y) (gray repeated on three channels).
    func pixel(x: Int, y: Int) -> Color {
        let i = (y * image.width + x) * image.channels
        return image.channels == 1 ? Color(image.pixels[i], image.pixels[i], image.pixels[i])
                                   : Color(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
    }
}
