/// An axis-aligned pixel rectangle: top-left corner and size.
struct PixelRect: Equatable {
    var x: Int, y: Int, width: Int, height: Int
}

/// Which part of the source is resized into which part of the target for an `AspectMode`.
///
/// Kept apart from the kernels so the crop and letterbox arithmetic is a pure function with its
/// own tests. Sizes are rounded to nearest (halves up), offsets split the slack with the odd
/// pixel on the right/bottom (`floor(slack / 2)` on the left/top), as torchvision's `CenterCrop`
/// and the usual letterbox code do for even slack.
struct ResizeGeometry: Equatable {
    /// The window of the source that is read.
    var source: PixelRect
    /// The window of the target that is written by the resize (the rest is padding).
    var target: PixelRect

    init(sourceWidth sw: Int, sourceHeight sh: Int, targetWidth tw: Int, targetHeight th: Int,
         aspect: AspectMode) {
        let full = PixelRect(x: 0, y: 0, width: sw, height: sh)
        let whole = PixelRect(x: 0, y: 0, width: tw, height: th)
        switch aspect {
        case .stretch:
            source = full
            target = whole
        case .crop:
            // Compare sw/sh with tw/th without division: sw*th vs tw*sh.
            target = whole
            if sw * th > tw * sh {  // source is wider: keep full height, cut the sides
                let cw = min(sw, max(1, roundedRatio(sh * tw, th)))
                source = PixelRect(x: (sw - cw) / 2, y: 0, width: cw, height: sh)
            } else if sw * th < tw * sh {  // source is taller: keep full width, cut top and bottom
                let ch = min(sh, max(1, roundedRatio(sw * th, tw)))
                source = PixelRect(x: 0, y: (sh - ch) / 2, width: sw, height: ch)
            } else {
                source = full
            }
        case .pad:
            source = full
            if sw * th > tw * sh {  // source is wider: fill the width, bars above and below
                let h = min(th, max(1, roundedRatio(sh * tw, sw)))
                target = PixelRect(x: 0, y: (th - h) / 2, width: tw, height: h)
            } else if sw * th < tw * sh {  // source is taller: fill the height, bars left and right
                let w = min(tw, max(1, roundedRatio(sw * th, sh)))
                target = PixelRect(x: (tw - w) / 2, y: 0, width: w, height: th)
            } else {
                target = whole
            }
        }
    }
}

/// `numerator / denominator` rounded to nearest, halves up, for non-negative values.
private func roundedRatio(_ numerator: Int, _ denominator: Int) -> Int {
    (2 * numerator + denominator) / (2 * denominator)
}
