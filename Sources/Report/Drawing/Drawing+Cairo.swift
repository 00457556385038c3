internal import CCairo
import DataPrep
import Foundation

extension Drawing {
    /// The drawing rendered by cairo into RGB pixels: anti-aliased lines and text, rectangles
    /// on whole pixels and rasters copied exactly (nearest neighbour, no resampling).
    ///
    /// The same drawing gives the same bytes on every run and thread count (cairo's image
    /// backend is deterministic; the font is unhinted).
    /// cairo's largest image surface side, in pixels.
    public static let maxSide = 32767

    public func rasterized() -> Canvas {
        // cairo's image surfaces stop at 32767 pixels a side (a confusion matrix of 2,300 classes).
        precondition(width <= Self.maxSide && height <= Self.maxSide, "cairo draws at most \(Self.maxSide) px a side, the drawing is \(width)x\(height)")
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        let cr = cairo_create(surface)
        defer { cairo_destroy(cr); cairo_surface_destroy(surface) }
        precondition(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, "cairo could not allocate a \(width)x\(height) surface")
        Self.setSource(cr, background)
        cairo_paint(cr)
        for element in elements {
            switch element {
            case let .rect(x, y, w, h, color):
                Self.setSource(cr, color)
                cairo_rectangle(cr, x, y, w, h)
                cairo_fill(cr)
            case let .polyline(points, color, lineWidth, dash):
                Self.setSource(cr, color)
                cairo_set_line_width(cr, lineWidth)
                cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
                // matplotlib's defaults: projecting caps on solid lines, butt caps on dashes.
                cairo_set_line_cap(cr, dash.isEmpty ? CAIRO_LINE_CAP_SQUARE : CAIRO_LINE_CAP_BUTT)
                cairo_set_dash(cr, dash, Int32(dash.count), 0)
                cairo_move_to(cr, points[0].x, points[0].y)
                for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
                cairo_stroke(cr)
                cairo_set_dash(cr, nil, 0, 0)
            case let .circle(center, radius, color):
                Self.setSource(cr, color)
                cairo_new_sub_path(cr)
                cairo_arc(cr, center.x, center.y, radius, 0, 2 * Double.pi)
                cairo_fill(cr)
            case let .text(text):
                Self.draw(text, cr)
            case let .raster(image, x, y, sx, sy):
                Self.paint(image, x: x, y: y, scaleX: sx, scaleY: sy, cr)
            }
        }
        cairo_surface_flush(surface)
        return Self.canvas(of: surface, width: width, height: height)
    }

    static func setSource(_ cr: OpaquePointer?, _ c: Color) {
        cairo_set_source_rgb(cr, Double(c.r) / 255, Double(c.g) / 255, Double(c.b) / 255)
    }

    static func draw(_ text: Text, _ cr: OpaquePointer?) {
        cairo_save(cr)
        Typeface.select(cr, size: text.size, bold: text.bold)
        setSource(cr, text.color)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text.string, &extents)
        let shift = text.anchor == .start ? 0 : text.anchor == .middle ? extents.x_advance / 2 : extents.x_advance
        cairo_translate(cr, text.x, text.baseline)
        if text.vertical { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, -shift, 0)
        cairo_show_text(cr, text.string)
        cairo_restore(cr)
    }

    /// Copies `image`, each pixel enlarged to a block, onto the surface at whole pixels.
    static func paint(_ image: Image, x: Int, y: Int, scaleX: Int, scaleY: Int, _ cr: OpaquePointer?) {
        let w = image.width * scaleX, h = image.height * scaleY
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, Int32(w)))
        let source = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h))
        defer { cairo_surface_destroy(source) }
        cairo_surface_flush(source)
        guard let data = cairo_image_surface_get_data(source) else { return }
        image.pixels.withUnsafeBufferPointer { p in
            for row in 0..<h {
                let line = (data + row * stride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
                let src = (row / scaleY) * image.width
                for column in 0..<w {
                    let i = (src + column / scaleX) * 3
                    line[column] = UInt32(p[i]) << 16 | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2])
                }
            }
        }
        cairo_surface_mark_dirty(source)
        cairo_save(cr)
        cairo_set_source_surface(cr, source, Double(x), Double(y))
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_rectangle(cr, Double(x), Double(y), Double(w), Double(h))
        cairo_fill(cr)
        cairo_restore(cr)
    }

    /// The surface's pixels (native-endian `0x00RRGGBB` words) as RGB bytes.
    static func canvas(of surface: OpaquePointer?, width: Int, height: Int) -> Canvas {
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeMutableBufferPointer { out in
            for row in 0..<height {
                let line = (data + row * stride).withMemoryRebound(to: UInt32.self, capacity: width) { $0 }
                var o = row * width * 3
                for column in 0..<width {
                    let v = line[column]
                    out[o] = UInt8(truncatingIfNeeded: v >> 16); out[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: v)
                    o += 3
                }
            }
        }
        return Canvas(width: width, height: height, pixels: pixels)
    }
}
