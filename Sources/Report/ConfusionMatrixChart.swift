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

    /// Cell side in pixels: large for a few classes, down to 14 px for 100 (CIFAR-100).
    public var cellSize: Int { min(64, max(14, 560 / max(1, matrix.classes))) }

    /// Text scale of the counts: the largest (2 or 1) whose widest count fits a cell; 0 when
    /// even scale 1 does not fit and the counts are left out.
    public var countScale: Int {
        let widest = Canvas.textWidth(String(matrix.counts.max() ?? 0), scale: 1)
        if widest * 2 + 6 <= cellSize && Canvas.textHeight(scale: 2) + 4 <= cellSize { return 2 }
        return widest + 4 <= cellSize && Canvas.textHeight(scale: 1) + 4 <= cellSize ? 1 : 0
    }

    /// Label text scale: 2 while rows are tall enough, else 1.
    var labelScale: Int { cellSize >= Canvas.textHeight(scale: 2) + 4 ? 2 : 1 }

    /// A label as drawn.
    static func label(_ name: String) -> String {
        name.count <= maxLabelLength ? name : String(name.prefix(maxLabelLength - 1)) + "."
    }

    /// The geometry: top-left of the cell grid.
    public var gridOrigin: (x: Int, y: Int) {
        let widest = classNames.map { Canvas.textWidth(Self.label($0), scale: labelScale) }.max() ?? 0
        return (4 + Canvas.textHeight(scale: 2) + 10 + widest + 8, 6 + Canvas.textHeight(scale: 2) + 14)
    }

    /// The chart on a new canvas.
    public func render() -> Canvas {
        let n = matrix.classes, cell = cellSize, origin = gridOrigin, ls = labelScale
        let widest = classNames.map { Canvas.textWidth(Self.label($0), scale: ls) }.max() ?? 0
        let glyph = Canvas.textHeight(scale: 2)
        let gridSide = n * cell
        let width = max(origin.x + gridSide + 16, Canvas.textWidth(title, scale: 2) + 16)
        let height = origin.y + gridSide + 8 + widest + 10 + glyph + 8
        var canvas = Canvas(width: width, height: height)
        canvas.text(title, x: width / 2, y: 6, scale: 2, anchor: .center)
        let support = matrix.support, cs = countScale
        for t in 0..<n {
            for p in 0..<n {
                let count = matrix[true: t, predicted: p]
                let share = support[t] == 0 ? 0 : Double(count) / Double(support[t])
                let shade = Blues.color(share)
                let x = origin.x + p * cell, y = origin.y + t * cell
                canvas.fill(x: x, y: y, width: cell, height: cell, shade)
                if cs > 0 {
                    canvas.text(String(count), x: x + cell / 2, y: y + (cell - Canvas.textHeight(scale: cs)) / 2,
                                scale: cs, shade.contrastingText, anchor: .center)
                }
            }
        }
        // Thin separators between cells when they are large enough to afford them.
        if cell >= 24 {
            for i in 1..<max(1, n) {
                canvas.fill(x: origin.x + i * cell, y: origin.y, width: 1, height: gridSide, .white)
                canvas.fill(x: origin.x, y: origin.y + i * cell, width: gridSide, height: 1, .white)
            }
        }
        canvas.stroke(x: origin.x - 1, y: origin.y - 1, width: gridSide + 2, height: gridSide + 2, .ink)
        let labelHeight = Canvas.textHeight(scale: ls)
        for (i, name) in classNames.enumerated() {
            let middle = i * cell + cell / 2
            canvas.text(Self.label(name), x: origin.x - 8, y: origin.y + middle - labelHeight / 2, scale: ls, anchor: .end)
            canvas.text(Self.label(name), x: origin.x + middle - labelHeight / 2, y: origin.y + gridSide + 8,
                        scale: ls, anchor: .end, vertical: true)
        }
        canvas.text("True", x: 4, y: origin.y + gridSide / 2, scale: 2, anchor: .center, vertical: true)
        canvas.text("Predicted", x: origin.x + gridSide / 2, y: height - glyph - 6, scale: 2, anchor: .center)
        return canvas
    }
}
