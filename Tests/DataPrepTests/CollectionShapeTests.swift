import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// A collection's own shape: same-size images load without a target size, gray images stay one
/// channel, and a mixed folder names two images that differ.
@Suite struct CollectionShapeTests {
    /// `classes` folders of `perClass` PNGs each: image k of class c is `channels`-channel
    /// width x height with bytes (7 i + 31 k + 101 c) mod 256, so every decoded byte is known.
    static func folder(width: Int = 28, height: Int = 28, channels: Int = 1, perClass: Int = 3,
                       classes: [String] = ["a", "b"], sizes: [String: (Int, Int)] = [:]) throws -> String {
        let root = try ScratchFolder.make("shape")
        for (c, name) in classes.enumerated() {
            try FileIO.makeDirectories(root + "/" + name)
            for k in 0..<perClass {
                let (w, h) = sizes["\(name)/\(k).png"] ?? (width, height)
                try PNG.write(image(w, h, channels, k, c), to: "\(root)/\(name)/\(k).png")
            }
        }
        return root
    }

    static func image(_ w: Int, _ h: Int, _ channels: Int, _ k: Int, _ c: Int) -> Image {
        Image(width: w, height: h, channels: channels,
              pixels: (0..<(w * h * channels)).map { UInt8(truncatingIfNeeded: 7 * $0 + 31 * k + 101 * c) })
    }

    @Test func sameSizeGrayFolderLoadsLosslesslyAsOneChannel() throws {
        let root = try Self.folder()
        defer { ScratchFolder.remove(root) }
        let loaded = try LoadedDataset.load(path: root, options: .init(threads: 2))
        let all = try #require(loaded.splits["all"])
        #expect((all.count, all.height, all.width, all.channels) == (6, 28, 28, 1))
        #expect(all.image(at: 0) == Self.image(28, 28, 1, 0, 0))
        #expect(all.image(at: 5) == Self.image(28, 28, 1, 2, 1))
        // --color asks for three channels: gray replicated.
        let color = try #require(LoadedDataset.load(path: root, options: .init(color: .rgb)).splits["all"])
        #expect(color.channels == 3)
        #expect(color.image(at: 0).pixel(x: 3, y: 2) == [UInt8](repeating: Self.image(28, 28, 1, 0, 0).pixel(x: 3, y: 2)[0], count: 3))
    }

    @Test func colourFolderKeepsThreeChannelsAndAMixedFolderIsColour() throws {
        let rgb = try Self.folder(channels: 3)
        defer { ScratchFolder.remove(rgb) }
        let all = try #require(LoadedDataset.load(path: rgb).splits["all"])
        #expect(all.channels == 3 && all.image(at: 4) == Self.image(28, 28, 3, 1, 1))

        let mixed = try Self.folder()
        defer { ScratchFolder.remove(mixed) }
        try PNG.write(Self.image(28, 28, 3, 9, 9), to: mixed + "/b/2.png")
        let shape = try ImageCollection(folder: mixed).sourceShape(needSize: false)
        #expect(!shape.allGray && shape.nativeColor == .rgb)
        #expect(try #require(LoadedDataset.load(path: mixed).splits["all"]).channels == 3)
    }

    @Test func differingSizesNameTwoImagesAndAskForResize() throws {
        let root = try Self.folder(sizes: ["b/1.png": (30, 28)])
        defer { ScratchFolder.remove(root) }
        let shape = try ImageCollection(folder: root).sourceShape()
        #expect(shape.first?.name == root + "/a/0.png" && shape.differing?.name == root + "/b/1.png")
        #expect(shape.commonSize == nil)
        do {
            _ = try LoadedDataset.load(path: root)
            Issue.record("expected a size error")
        } catch let DataPrepError.notADataset(path, reason) {
            #expect(path == root)
            #expect(reason == "its images differ in size (\(root)/a/0.png is 28x28, \(root)/b/1.png is 30x28): choose one with --resize WxH (e.g. 80x80)")
        }
        // With a size it loads, every image resized.
        let resized = try #require(LoadedDataset.load(path: root, options: .init(size: (14, 14))).splits["all"])
        #expect((resized.width, resized.height, resized.channels) == (14, 14, 1))
    }

    /// An unreadable image does not decide the shape; loading then skips and reports it.
    @Test func unreadableFilesDoNotDecideTheShape() throws {
        let root = try Self.folder()
        defer { ScratchFolder.remove(root) }
        try FileIO.writeAtomically(Array("not an image".utf8), to: root + "/a/00.png")
        let loaded = try LoadedDataset.load(path: root)
        #expect(try #require(loaded.splits["all"]).channels == 1)
        #expect(loaded.skipped.map { lastPathComponent($0.path) } == ["00.png"])
    }

    /// EXIF orientation counts: a JPEG stored 64x32 with orientation 6 is 32x64 as displayed.
    @Test func headerSizeIsTheDisplayedSize() throws {
        let path = TestPaths.fixture("jpeg/orientation-6.jpg")
        let header = try ImageFile.header(FileIO.read(path), name: path)
        let decoded = try ImageFile.decode(FileIO.read(path), name: path, color: .rgb, mode: .full)
        #expect((header.width, header.height, header.channels) == (decoded.width, decoded.height, 3))
    }
}
