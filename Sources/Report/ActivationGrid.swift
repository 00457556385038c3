import DataPrep
import Foundation

/// One layer's output for one sample as a grid of tiles, one per channel (`activations-LAYER.png`),
/// each labelled with its channel number.
///
/// Every tile is stretched over the full `viridis` range between its own minimum and maximum:
/// channels differ in scale by orders of magnitude, and one global range would leave most tiles
/// a flat colour. A constant tile (a dead ReLU channel) is drawn in the bottom colour and its
/// label says `=VALUE`, since a stretch would otherwise hide that it is flat.
public struct ActivationGrid: Sendable {
    public var title: String
    /// Row-major maps, each `mapHeight * mapWidth` floats.
    public var maps: [[Float]]
    public var mapHeight: Int
    public var mapWidth: Int

    static let gap = 6
    /// Tiles are at least this tall, so a `1 x n` strip of a dense layer stays visible.
    static let minimumTileHeight = 12

    public init(title: String, maps: [[Float]], mapHeight: Int, mapWidth: Int) {
        precondition(!maps.isEmpty && mapHeight > 0 && mapWidth > 0, "activation grid needs maps, got \(maps.count) of \(mapHeight)x\(mapWidth)")
        precondition(maps.allSatisfy { $0.count == mapHeight * mapWidth }, "every map must hold \(mapHeight)x\(mapWidth) values")
        self.title = title; self.maps = maps; self.mapHeight = mapHeight; self.mapWidth = mapWidth
    }

    /// Tiles per row: about a square grid.
    public var columns: Int { Int(Double(maps.count).squareRoot().rounded(.up)) }
    public var rows: Int { (maps.count + columns - 1) / columns }

    /// Screen pixels per map value, horizontally and vertically: maps grow to about 64 px.
    public var cellSize: (width: Int, height: Int) {
        let s = max(1, 64 / max(mapHeight, mapWidth))
        return (s, mapHeight * s >= Self.minimumTileHeight ? s : (Self.minimumTileHeight + mapHeight - 1) / mapHeight)
    }

    /// Tile size in pixels (without its label).
    public var tileSize: (width: Int, height: Int) {
        let c = cellSize
        return (max(mapWidth * c.width, ChartText.width("8888", size: ChartText.caption)), mapHeight * c.height)
    }

    static var labelHeight: Int { ChartText.lineHeight(ChartText.caption) + 4 }
    static var gridTop: Int { 8 + ChartText.lineHeight(ChartText.title) + 8 }

    /// Top-left corner of map `m`'s tile.
    public func tileOrigin(_ m: Int) -> (x: Int, y: Int) {
        let t = tileSize
        return (Self.gap + (m % columns) * (t.width + Self.gap), Self.gridTop + (m / columns) * (t.height + Self.labelHeight + Self.gap))
    }

    /// Map values scaled to [0, 1] by the map's own range (all 0 for a constant map).
    public static func normalized(_ map: [Float]) -> [Double] {
        guard let lo = map.min(), let hi = map.max(), hi > lo else { return [Double](repeating: 0, count: map.count) }
        return map.map { Double($0 - lo) / Double(hi - lo) }
    }

    /// The picture rendered by cairo.
    public func render() -> Canvas { drawing().rasterized() }

    /// The picture as shapes and text: each tile an exact raster of its map, enlarged to the
    /// cell size, with its channel number (and `=VALUE` for a constant map) under it.
    public func drawing() -> Drawing {
        let t = tileSize, c = cellSize
        let gridWidth = Self.gap + columns * (t.width + Self.gap)
        let width = max(gridWidth, ChartText.width(title, size: ChartText.title) + 2 * Self.gap)
        let height = Self.gridTop + rows * (t.height + Self.labelHeight + Self.gap)
        var d = Drawing(width: width, height: height)
        d.line(title, x: Double(width) / 2, top: 8, size: ChartText.title, anchor: .middle)
        for (m, map) in maps.enumerated() {
            let origin = tileOrigin(m), values = Self.normalized(map)
            var tile = Image(width: mapWidth, height: mapHeight, channels: 3, filledWith: 0)
            for (i, v) in values.enumerated() {
                let color = Viridis.color(v)
                (tile.pixels[3 * i], tile.pixels[3 * i + 1], tile.pixels[3 * i + 2]) = (color.r, color.g, color.b)
            }
            d.raster(tile, x: origin.x, y: origin.y, scaleX: c.width, scaleY: c.height)
            let constant = map.min() == map.max()
            let label = constant ? "\(m) =" + String(format: "%.2g", Double(map[0])) : "\(m)"
            d.line(label, x: Double(origin.x), top: Double(origin.y + t.height + 2), size: ChartText.caption)
        }
        return d
    }
}
