/// Qualitative colours for charts that overlay many runs: matplotlib's `tab10` (its default
/// colour cycle) and `tab20` (the same ten hues, each followed by a lighter partner), so an
/// overlay looks like the one users drew in their notebooks.
public enum Palette {
    /// matplotlib's `tab10`: tab:blue, orange, green, red, purple, brown, pink, gray, olive, cyan.
    public static let tab10: [Color] = [
        Color(31, 119, 180), Color(255, 127, 14), Color(44, 160, 44), Color(214, 39, 40), Color(148, 103, 189),
        Color(140, 86, 75), Color(227, 119, 194), Color(127, 127, 127), Color(188, 189, 34), Color(23, 190, 207),
    ]

    /// matplotlib's `tab20`: each `tab10` hue, then its light partner.
    public static let tab20: [Color] = [
        Color(31, 119, 180), Color(174, 199, 232), Color(255, 127, 14), Color(255, 187, 120),
        Color(44, 160, 44), Color(152, 223, 138), Color(214, 39, 40), Color(255, 152, 150),
        Color(148, 103, 189), Color(197, 176, 213), Color(140, 86, 75), Color(196, 156, 148),
        Color(227, 119, 194), Color(247, 182, 210), Color(127, 127, 127), Color(199, 199, 199),
        Color(188, 189, 34), Color(219, 219, 141), Color(23, 190, 207), Color(158, 218, 229),
    ]

    /// Colour and line style of each of `count` overlaid series.
    ///
    /// Up to 10 series: `tab10`, solid, as matplotlib's default cycle. More: `tab20`'s twenty
    /// distinct colours, the light partner of each hue dashed so it is not read as its dark
    /// neighbour; past 20 the colours repeat, dotted (dark) or dash-dotted (light), so every
    /// series still differs from every other in colour or in line style.
    public static func styles(count: Int) -> [(color: Color, style: LineStyle)] {
        guard count > tab10.count else { return tab10.prefix(count).map { ($0, .solid) } }
        return (0..<count).map { i in
            let light = i % 2 == 1, firstRound = (i / tab20.count) % 2 == 0
            let style: LineStyle = firstRound ? (light ? .dashed : .solid) : (light ? .dashDot : .dotted)
            return (tab20[i % tab20.count], style)
        }
    }
}
