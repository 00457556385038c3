internal import CCairo

/// The one typeface every chart uses: DejaVu Sans (Debian's `fonts-dejavu-core`, matplotlib's
/// default font), found through fontconfig by cairo. Text is measured here with the metrics cairo
/// draws with (unhinted, so widths scale linearly with size and match the SVG in a browser that
/// has the font).
public enum Typeface {
    public static let family = "DejaVu Sans"
    /// The SVG font list: the same face where installed, a close sans-serif otherwise.
    static let svgFamily = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif"

    /// DejaVu Sans's proportions per em: capital height (1493/2048), ascender (1901/2048)
    /// and descender (483/2048), from its OS/2 and hhea tables.
    public static let capHeight = 0.729, ascent = 0.928, descent = 0.236

    /// Pixels from one baseline to the next at `size`.
    public static func lineHeight(_ size: Double) -> Double { (ascent + descent) * size }

    /// The advance width of `text` at `size` pixels: where the next character would start.
    public static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        guard !text.isEmpty else { return 0 }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1)
        let cr = cairo_create(surface)
        defer { cairo_destroy(cr); cairo_surface_destroy(surface) }
        select(cr, size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }

    /// Sets DejaVu Sans at `size` on `cr`, unhinted with grayscale anti-aliasing: the same
    /// pixels on every machine with the same cairo and font, and widths that scale with size.
    static func select(_ cr: OpaquePointer?, size: Double, bold: Bool) {
        cairo_select_font_face(cr, family, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
    }
}
