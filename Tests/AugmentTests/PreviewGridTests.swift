import DataPrep
import Testing
@testable import Augment

/// The preview grid's layout: tiles enlarged exactly, caption strips left blank (white) for
/// Report to set, and the caption text listed per tile.
@Suite struct PreviewGridTests {
    @Test func captionStripsAreBlankAndTheirTextIsListed() {
        let dataset = BatchLoaderTests.dataset   // 9x7 RGB: enlarged 10x (96 / 9)
        let pipeline = Pipeline([.horizontalFlip(HorizontalFlip()), .rotation(Rotation(degrees: 20))])
        let grid = PreviewGrid.render(dataset: dataset, indices: [4], variants: 2, pipeline: pipeline, seed: 3, captionLineHeight: 12)
        #expect(grid.scale == 10 && grid.captions.count == 3)
        // Two operations → two lines of 12 px, plus 4 px: strips 28 px tall under 90x70 tiles.
        #expect(grid.captions.map(\.height) == [28, 28, 28] && grid.captions.map(\.width) == [90, 90, 90])
        #expect(grid.image.height == 70 + 28 + 2 * PreviewGrid.gap)
        #expect(grid.captions[0].lines == ["#4 b", "original"])
        let applied = grid.tiles[1].applied.map(\.caption).filter { !$0.isEmpty }
        #expect(grid.captions[1].lines == applied && grid.captions[1].lines.contains { $0.hasPrefix("rot ") })
        for caption in grid.captions {
            #expect(caption.y == grid.tiles[0].y + 70)
            for y in caption.y..<(caption.y + caption.height) {
                for x in caption.x..<(caption.x + caption.width) {
                    let i = (y * grid.image.width + x) * 3
                    #expect(grid.image.pixels[i..<(i + 3)].allSatisfy { $0 == 255 })
                }
            }
        }
        // The original tile is the sample enlarged, pixel for pixel.
        let original = dataset.image(at: 4), tile = grid.tiles[0]
        for y in stride(from: 0, to: 70, by: 7) { for x in stride(from: 0, to: 90, by: 9) {
            let i = ((tile.y + y) * grid.image.width + tile.x + x) * 3, s = ((y / 10) * 9 + x / 10) * 3
            #expect(Array(grid.image.pixels[i..<(i + 3)]) == Array(original.pixels[s..<(s + 3)]))
        } }
    }

    @Test func withoutCaptionsThereAreNoStrips() {
        let grid = PreviewGrid.render(dataset: BatchLoaderTests.dataset, indices: [0, 1], variants: 1, pipeline: Pipeline(), seed: 1)
        #expect(grid.captions.isEmpty && grid.image.height == 2 * 70 + 3 * PreviewGrid.gap)
    }
}
