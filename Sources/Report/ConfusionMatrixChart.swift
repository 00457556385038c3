import Train

/// The confusion matrix as a heat map: one cell per (true, predicted) pair with its count,
/// true classes down the left, predicted classes along the bottom (written upward), shaded by
/// the share of the true class's samples the cell holds (so rare and common classes compare
/// fairly; a class without samples stays white). Written as `confusion.png`.
public struct ConfusionMatrixChart: Sendable {
    public var matrix: ConfusionMatrix
    public var classNames: [String]
    public var title: String

    public init(matrix: ConfusionMatrix, classNames: [String], title: String = "Confusion matrix") {
        precondition(classNames.count == matrix.classes, "need \(matrix.classes) class names, got \(classNames.count)")
        self.matrix = matrix; self.classNames = classNames; self.title = title
    }

    /// Class names longer than this are cut (with a trailing `.`) so labels stay readable.
    public static let maxLabelLength = 14

    /// Cell side in pixels: large for a few classes, down to 14 px for 100 (CIFAR-100); past
    /// ~1,170 classes smaller, so the grid stays within `maxGridSide` (cairo's surfaces stop at
    /// 32767 px a side: a fixed 14 px would make evaluating 2,400 classes fail to draw).
    public var cellSize: Int {
        let n = max(1, matrix.classes)
        return max(1, min(64, max(14, 560 / n), Self.maxGridSide / n))
    }

    /// The largest cell grid drawn, in pixels a side.
    static let maxGridSide = 16384

    /// Font size of the counts: the largest of 14...7 px at which the widest count fits a cell
    /// with room to spare; 0 when even 7 px does not fit and the counts are left out.
    public var countSize: Double {
        let widest = String(matrix.counts.max() ?? 0)
        return stride(from: 14.0, through: 7, by: -1).first { size in
            ChartText.width(widest, size: size) + 4 <= cellSize && Int((Typeface.capHeight * size).rounded(.up)) + 4 <= cellSize
        } ?? 0
    }

    /// Class label size: 13 px while rows are tall enough, down to 8 px for 14 px rows.
    var labelSize: Double { min(ChartText.label, max(8, (Double(cellSize) * 0.75).rounded(.down))) }

    /// A label as drawn.
    static func label(_ name: String) -> String {
        name.count <= maxLabelLength ? name : String(name.prefix(maxLabelLength - 1)) + "."
    }

    /// The widest class label, in pixels.
    var widestLabel: Int { classNames.map { ChartText.width(Self.label($0), size: labelSize) }.max() ?? 0 }

    /// The geometry: top-left of the cell grid.
    public var gridOrigin: (x: Int, y: Int) {
        (6 + ChartText.lineHeight(ChartText.label) + 8 + widestLabel + 8, 8 + ChartText.lineHeight(ChartText.title) + 12)
    }

    /// The chart rendered by cairo.
    public func render() -> Canvas { drawing().rasterized() }

    /// The chart as shapes and text (cells are whole-pixel rectangles: exact colours in the PNG).
    public func drawing() -> Drawing {
        let n = matrix.classes, cell = cellSize, origin = gridOrigin, ls = labelSize, widest = widestLabel
        let gridSide = n * cell
        let labelLine = ChartText.lineHeight(ChartText.label)
        let width = max(origin.x + gridSide + 16, ChartText.width(title, size: ChartText.title) + 16)
        let height = origin.y + gridSide + 8 + widest + 10 + labelLine + 8
        var d = Drawing(width: width, height: height)
        // The title centred over the grid, as matplotlib places it over the axes, if it fits there.
        let titleWidth = ChartText.width(title, size: ChartText.title)
        let titleX = origin.x + gridSide / 2 - titleWidth / 2 >= 8 && origin.x + gridSide / 2 + titleWidth / 2 <= width - 8
            ? Double(origin.x) + Double(gridSide) / 2 : Double(width) / 2
        d.line(title, x: titleX, top: 8, size: ChartText.title, anchor: .middle)
        let support = matrix.support, cs = countSize
        for t in 0..<n {
            for p in 0..<n {
                let count = matrix[true: t, predicted: p]
                let share = support[t] == 0 ? 0 : Double(count) / Double(support[t])
                let shade = Blues.color(share)
                let x = origin.x + p * cell, y = origin.y + t * cell
                d.fill(x: x, y: y, width: cell, height: cell, shade)
                if cs > 0 {
                    d.text(String(count), x: Double(x) + Double(cell) / 2, y: Double(y) + Double(cell) / 2, size: cs,
                           shade.contrastingText, anchor: .middle, alignment: .middle)
                }
            }
        }
        // Thin separators between cells when they are large enough to afford them.
        if cell >= 24 {
            for i in 1..<max(1, n) {
                d.fill(x: origin.x + i * cell, y: origin.y, width: 1, height: gridSide, .white)
                d.fill(x: origin.x, y: origin.y + i * cell, width: gridSide, height: 1, .white)
            }
        }
        d.frame(x: origin.x - 1, y: origin.y - 1, width: gridSide + 2, height: gridSide + 2, .ink)
        // Below 8 px rows a label would overlap its neighbours: the grid is shown without them.
        for (i, name) in classNames.enumerated() where cell >= 8 {
            let middle = Double(i * cell) + Double(cell) / 2
            d.text(Self.label(name), x: Double(origin.x - 8), y: Double(origin.y) + middle, size: ls, anchor: .end, alignment: .middle)
            // Predicted classes read upward, ending just under the grid.
            d.text(Self.label(name), x: Double(origin.x) + middle, y: Double(origin.y + gridSide + 8), size: ls,
                   anchor: .end, alignment: .middle, vertical: true)
        }
        d.text("True class", x: 6 + (Typeface.ascent - Typeface.capHeight) * ChartText.label, y: Double(origin.y) + Double(gridSide) / 2,
               size: ChartText.label, anchor: .middle, vertical: true)
        d.line("Predicted class", x: Double(origin.x) + Double(gridSide) / 2, top: Double(height - labelLine - 8),
               size: ChartText.label, anchor: .middle)
        return d
    }
}
