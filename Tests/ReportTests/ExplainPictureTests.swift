import DataPrep
import Testing
@testable import Report

/// `occlusion.png` and `activations-LAYER.png`: decoded back and checked pixel by pixel.
@Suite struct ExplainPictureTests {
    func decoded(_ canvas: Canvas) throws -> Image { try PNG.decode(canvas.pngData(), name: "picture") }

    func color(_ image: Image, _ x: Int, _ y: Int) -> Color {
        let i = (y * image.width + x) * image.channels
        return Color(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
    }

    @Test func viridisEndsAndMiddleAreMatplotlibs() {
        #expect(Viridis.color(0) == Color(68, 1, 84))
        #expect(Viridis.color(0.5) == Color(33, 144, 140))
        #expect(Viridis.color(1) == Color(253, 231, 37))
        #expect(Viridis.color(-3) == Viridis.color(0) && Viridis.color(.nan) == Viridis.color(0))
        // Halfway between the first two stops (0x44,0x01,0x54) and (0x47,0x2D,0x7B).
        #expect(Viridis.color(1.0 / 16) == Color(70, 23, 104))
    }

    @Test func overlayKeepsColdPixelsAndTintsHotOnes() throws {
        // 4x4 gray ramp; heat only at (x 2, y 1) (the maximum) and (x 3, y 3) (a quarter of it).
        let pixels: [UInt8] = (0..<16).map { UInt8($0 * 10 + 40) }
        var heat = [Float](repeating: 0, count: 16)
        heat[1 * 4 + 2] = 0.5; heat[3 * 4 + 3] = 0.125
        let overlay = OcclusionOverlay(image: Image(width: 4, height: 4, channels: 1, pixels: pixels), heat: heat, title: "CLASS 7")
        #expect(overlay.scale == 64)
        let image = try decoded(overlay.render())
        let canvas = overlay.render()
        #expect(image.width == canvas.width && image.height == canvas.height && image.channels == 3)
        #expect(image.width == 3 * 8 + 2 * 256)
        let s = overlay.scale, input = overlay.inputOrigin, over = overlay.overlayOrigin
        for y in 0..<4 {
            for x in 0..<4 {
                let gray = pixels[y * 4 + x], base = Color(gray, gray, gray)
                // Centre and corner of each enlarged pixel: the input panel is the image itself.
                #expect(color(image, input.x + x * s + s / 2, input.y + y * s + s / 2) == base)
                #expect(color(image, input.x + x * s, input.y + y * s + s - 1) == base)
                let shown = color(image, over.x + x * s + s / 2, over.y + y * s + s / 2)
                if heat[y * 4 + x] == 0 { #expect(shown == base, "(\(x), \(y)) has no heat and must keep its colour") }
            }
        }
        // Hottest pixel: gray 100 blended 70% toward viridis(1) = (253, 231, 37).
        #expect(color(image, over.x + 2 * s + 1, over.y + 1 * s + 1) == Color(207, 192, 56))
        // Quarter heat: gray 190 blended 17.5% toward viridis(0.25) = (59, 82, 139).
        #expect(color(image, over.x + 3 * s + 5, over.y + 3 * s + 5) == Color(167, 171, 181))
        #expect(OcclusionOverlay.blend(Color(1, 2, 3), heat: 0) == Color(1, 2, 3))
        // The colour bar under the overlay: viridis from 0 (left) to 1 (right), exact.
        let bar = overlay.drawing()
        #expect(bar.texts == ["CLASS 7", "Input", "Occlusion sensitivity", "0", "0.2", "0.5"])
        let barY = OcclusionOverlay.panelTop + 4 * s + 4 + ChartText.lineHeight(ChartText.caption) + 6
        #expect(color(image, over.x, barY + 5) == Viridis.color(0) && color(image, over.x + 4 * s - 1, barY + 5) == Viridis.color(1))
    }

    @Test func overlayOfAnIgnoredInputIsTheImageTwice() throws {
        let rgb = Image(width: 2, height: 1, channels: 3, pixels: [200, 10, 20, 5, 6, 7])
        let overlay = OcclusionOverlay(image: rgb, heat: [0, 0], title: "NONE")
        let image = try decoded(overlay.render())
        let s = overlay.scale
        #expect(s == 128)
        for (x, expected) in [Color(200, 10, 20), Color(5, 6, 7)].enumerated() {
            #expect(color(image, overlay.inputOrigin.x + x * s + 3, overlay.inputOrigin.y + 3) == expected)
            #expect(color(image, overlay.overlayOrigin.x + x * s + 3, overlay.overlayOrigin.y + 3) == expected)
        }
    }

    @Test func activationTilesAreStretchedPerTile() throws {
        // Map 0 ramps 0...3, map 1 ramps 100...400 (same picture, another scale), map 2 is flat.
        let maps: [[Float]] = [[0, 1, 2, 3], [100, 200, 300, 400], [5, 5, 5, 5]]
        let grid = ActivationGrid(title: "CONV2D 2X2X3", maps: maps, mapHeight: 2, mapWidth: 2)
        #expect(grid.columns == 2 && grid.rows == 2)
        #expect(grid.cellSize == (32, 32) && grid.tileSize == (64, 64))
        let image = try decoded(grid.render())
        #expect(image.width == max(6 + 2 * (64 + 6), ChartText.width("CONV2D 2X2X3", size: ChartText.title) + 12))
        #expect(image.height == ActivationGrid.gridTop + 2 * (64 + ActivationGrid.labelHeight + 6))
        for m in 0..<2 {
            let o = grid.tileOrigin(m)
            #expect(color(image, o.x + 1, o.y + 1) == Viridis.color(0))
            #expect(color(image, o.x + 32 + 5, o.y + 5) == Viridis.color(1.0 / 3))
            #expect(color(image, o.x + 10, o.y + 32 + 10) == Viridis.color(2.0 / 3))
            #expect(color(image, o.x + 63, o.y + 63) == Viridis.color(1))
        }
        let flat = grid.tileOrigin(2)
        #expect(flat.x == 6 && flat.y == grid.tileOrigin(0).y + 64 + ActivationGrid.labelHeight + 6)
        #expect(color(image, flat.x + 40, flat.y + 40) == Viridis.color(0))
        // The flat tile's label says "2 =5": ink beyond the first glyph, and the text is in the drawing.
        let labelY = flat.y + 64 + 2
        let inked = (flat.x + 12..<flat.x + 30).contains { x in (labelY..<labelY + ActivationGrid.labelHeight).contains { y in color(image, x, y) != .white } }
        #expect(inked)
        #expect(grid.drawing().texts == ["CONV2D 2X2X3", "0", "1", "2 =5"])
    }

    @Test func denseStripsGetTallEnoughTiles() {
        let grid = ActivationGrid(title: "DENSE", maps: [(0..<10).map(Float.init)], mapHeight: 1, mapWidth: 10)
        #expect(grid.cellSize == (6, 12) && grid.tileSize == (60, 12))
        let canvas = grid.render()
        let o = grid.tileOrigin(0)
        #expect(canvas.color(x: o.x + 59, y: o.y + 11) == Viridis.color(1))
        #expect(canvas.color(x: o.x, y: o.y) == Viridis.color(0))
    }
}
