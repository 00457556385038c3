import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// `DecodeMode.full` against OpenCV: every expected SHA-256 below is of `cv2.imread`'s output
/// (BGR flipped to RGB), produced with opencv-python 5.1.0 (libjpeg-turbo 3.1, libpng 1.6.59):
///
///     import cv2, hashlib, numpy as np
///     h = lambda a: hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()
///     gray = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
///     rgb = cv2.imread(path, cv2.IMREAD_COLOR)[:, :, ::-1]
///     h(gray), h(rgb)       # and h(cv2.resize(img, (w, h), interpolation=...)) for the pipelines
@Suite struct DecodeModeTests {
    /// (fixture, width, height, SHA-256 of the gray decode, SHA-256 of the RGB decode).
    static let opencvDecodes: [(String, Int, Int, String, String)] = [
        ("jpeg/rgb-q95.jpg", 32, 24,
         "2dc5a5355c4a888536ccf8b726edcd9da68a6a964354d0b00c0e85833cc9309a",
         "9ae3f674db58f64fae1f652c759671a85c092cfaadc0003825abe8fcc1dbae72"),
        ("jpeg/rgb-progressive-q95.jpg", 32, 24,
         "2dc5a5355c4a888536ccf8b726edcd9da68a6a964354d0b00c0e85833cc9309a",
         "9ae3f674db58f64fae1f652c759671a85c092cfaadc0003825abe8fcc1dbae72"),
        ("jpeg/gray-blocks-q100.jpg", 32, 24,
         "d22cefb29cc772dae23bb4321fd0f8413d8c06537b3236ee96f84028b13d372e",
         "7ba192e9553fe2a7ecec6321b9c0da11f34863c735cf88bef4c9076a07c05408"),
        ("jpeg/scale-64x48.jpg", 64, 48,
         "a825ae0c16b88806bdd417c9d594153dd5778a99c4147845814472246bf11b86",
         "a4c46f341ca478544c861f8183f7169863c0617f546412a0cb73f09868c8047f"),
        ("jpeg/cmyk-adobe.jpg", 64, 16,
         "d602c95db3cdb57c946c0445c7d4302922c214bda6a74bcfa93a20a69a3e284c",
         "490f0c34c9ee54ca79f0af2bf94f0e13c1af4147dd4a1a51c96ded4053141e27"),
        ("jpeg/cmyk-plain.jpg", 64, 16,
         "0bc549dce5498b6ee238bc3b623ee667859c5b736f19048154a1698f2ff6ec85",
         "dd56efdc508ba8aaf12df082ab4a23462a54816e34e2760fe5fa2daca3bddfe2"),
        ("jpeg/cmyk-ycck.jpg", 64, 16,
         "cc57fbf26332ff536958255fee016efa3c10a2cba9b0eed40b8c6ba703ee3d23",
         "1a7286028e4255f4433c104863b24d616781f582cdee0ed3b194aecf7831fb80"),
        ("jpeg/orientation-6.jpg", 32, 64,
         "6eb1ffdfdbd77e254b66fb21f87072efdea569e360607b002bb9f3ed4a78eeae",
         "200cc408f90d52a1bb6cf665e1cc0a9979200688eb12f79c4bf9029bf3acc331"),
        ("jpeg/orientation-7.jpg", 32, 64,
         "72f8f580657457f9e4b0cd87cbd453da1cc1d22c68f61bd2758df5f1b4fcea94",
         "b63c76ce9ad3f8771bd1cb385543cd9de981f6e065b151aa3bd6a89d1ecbccce"),
        ("png/rgb8.png", 16, 12,
         "af3ca46b5e4db0ab0f2c14f4cf2eacdc153bec737dd6e9725777682ab09a5f32",
         "9638b7f3c1485f6052f560b29b4d0eacf7049a33e6cbfc75e7a9f7e827d937fd"),
        ("png/rgba8.png", 16, 12,
         "af3ca46b5e4db0ab0f2c14f4cf2eacdc153bec737dd6e9725777682ab09a5f32",
         "9638b7f3c1485f6052f560b29b4d0eacf7049a33e6cbfc75e7a9f7e827d937fd"),
        ("png/rgb16.png", 16, 12,
         "8217e9240ade655344eea29798f49ecac0754094e0a7c1273029c513b419f5dc",
         "9a6e435d3b816922c22b111e2d5e3900167f5db770286f09acd1290899534c21"),
        ("png/gray16.png", 16, 12,
         "f3dfa11b7bdab4d0531ef558a56491beefb5d99605499b638d1fa784c18a16a6",
         "89922651d3ed95a717eccf6ff680313176c01658b561e7b99452fc49e8c458a0"),
        ("png/palette8-trns.png", 16, 12,
         "20a79955eab8110329dc1ec498931b8fa99bd2e6e58efac783c268ea66576738",
         "9e9319efcac576848a6ef16870b49c63c91ae8002afc87ee29939291ec1df73a"),
        ("png/gray-alpha8.png", 16, 12,
         "49868ba8a96f2e65a360790f08a1b072dd1931d110324e2dfb3c2891a428971d",
         "7f892950a2abf00d3f73d93c23eaf1ae474f8ff748b0f5e7ed4e7b8ae28cdc4f"),
        ("png/rgb8-adam7.png", 16, 12,
         "af3ca46b5e4db0ab0f2c14f4cf2eacdc153bec737dd6e9725777682ab09a5f32",
         "9638b7f3c1485f6052f560b29b4d0eacf7049a33e6cbfc75e7a9f7e827d937fd"),
        ("png/gray1.png", 16, 12,
         "76ac7af2de5b7cb53a7ac94399bf90361fc8dcae45834b20af89c9133eee45b1",
         "bd1f83dbce5a68e5e7826025015060bac68c8ea82f259f5bfdd2f2b1f25a2443"),
    ]

    static func decode(_ fixture: String, _ color: ColorMode, minimum: (Int, Int)? = nil, mode: DecodeMode) throws -> Image {
        let path = TestPaths.fixture(fixture)
        return try ImageFile.decode(FileIO.read(path), name: path, color: color, minimumSize: minimum, mode: mode)
    }

    @Test(arguments: opencvDecodes.indices)
    func fullDecodeEqualsOpenCVImread(_ i: Int) throws {
        let (fixture, width, height, grayHash, rgbHash) = Self.opencvDecodes[i]
        // A minimum size is ignored in full mode: cv2.imread never scales.
        let gray = try Self.decode(fixture, .gray, minimum: (1, 1), mode: .full)
        let rgb = try Self.decode(fixture, .rgb, minimum: (1, 1), mode: .full)
        #expect((gray.width, gray.height, gray.channels) == (width, height, 1), "\(fixture)")
        #expect((rgb.width, rgb.height, rgb.channels) == (width, height, 3), "\(fixture)")
        #expect(SHA256.hexHash(gray.pixels) == grayHash, "\(fixture) gray")
        #expect(SHA256.hexHash(rgb.pixels) == rgbHash, "\(fixture) rgb")
    }

    /// Where the default conventions (Pillow's) differ from OpenCV's, so the hashes above test
    /// the switch: colour PNG to gray (Pillow rounds 601 luma, libpng truncates), 16-bit samples
    /// (rounded vs truncated) and CMYK without an Adobe marker (plain vs inverted).
    @Test func scaledModeKeepsPillowConventionsWhereOpenCVDiffers() throws {
        let cases: [(String, ColorMode)] = [("png/rgb8.png", .gray), ("png/rgb16.png", .rgb), ("png/gray16.png", .gray),
                                            ("jpeg/cmyk-plain.jpg", .rgb), ("jpeg/cmyk-adobe.jpg", .gray)]
        for (fixture, color) in cases {
            let full = try Self.decode(fixture, color, mode: .full)
            let scaled = try Self.decode(fixture, color, mode: .scaled)
            #expect(full.width == scaled.width && full.height == scaled.height)
            #expect(full.pixels != scaled.pixels, "\(fixture) \(color)")
        }
        // 16-bit gray: OpenCV keeps the high byte (v >> 8), Pillow rounds v / 257: they differ
        // by at most one level either way (v = 255 gives 0 vs 1, v = 0xFF00 gives 255 vs 254).
        let stored = try PNG.decode(contentsOf: TestPaths.fixture("png/gray16.png"), options: .init(mode: .gray))
        let truncated = try PNG.decode(contentsOf: TestPaths.fixture("png/gray16.png"), options: .init(mode: .gray, opencvSamples: true))
        let steps = zip(stored.pixels, truncated.pixels).map { (rounded: UInt8, high: UInt8) -> Int in Int(rounded) - Int(high) }
        #expect(Set(steps).isSubset(of: [-1, 0, 1]) && steps.contains { $0 != 0 })
    }

    /// Scaled mode decodes at a DCT scale; full mode ignores the minimum and decodes everything.
    @Test func scaledDecodesSmallFullDecodesWhole() throws {
        let scaled = try Self.decode("jpeg/scale-64x48.jpg", .rgb, minimum: (16, 12), mode: .scaled)
        let full = try Self.decode("jpeg/scale-64x48.jpg", .rgb, minimum: (16, 12), mode: .full)
        #expect((scaled.width, scaled.height) == (16, 12))
        #expect((full.width, full.height) == (64, 48))
    }

    /// cv2.resize(cv2.imread(p, 0), (20, 15), interpolation=cv2.INTER_AREA) and
    /// cv2.resize(cv2.imread(p, 1), (24, 18), interpolation=cv2.INTER_LINEAR)[:, :, ::-1], for
    /// an upright and an EXIF-rotated fixture, through the collection loader as `split` runs it.
    @Test func fullCollectionLoadEqualsImreadThenResize() throws {
        let folder = NSTemporaryDirectory() + "decode-mode-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, fixture) in [("a/0.jpg", "jpeg/scale-64x48.jpg"), ("b/0.jpg", "jpeg/orientation-6.jpg")] {
            try FileManager.default.createDirectory(atPath: folder + "/" + String(name.prefix(1)), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TestPaths.fixture(fixture), toPath: folder + "/" + name)
        }
        let collection = try ImageCollection(folder: folder)
        let gray = try #require(collection.load(.init(width: 20, height: 15, color: .gray, filter: .area, decode: .full)).data["all"])
        let rgb = try #require(collection.load(.init(width: 24, height: 18, color: .rgb, filter: .bilinear, decode: .full)).data["all"])
        #expect(SHA256.hexHash(gray.image(at: 0).pixels) == "df75513599bedaa20a90dcb231f66b21d7ad171db7c5703a7323b37c142ab013")
        #expect(SHA256.hexHash(rgb.image(at: 0).pixels) == "a47f64f31f5b0b9e5c667b25419fd420e7eaeef1288dc9e9b71e6ade98000bf4")
        #expect(SHA256.hexHash(gray.image(at: 1).pixels) == "f8541b03071a4faea6d8e12cea0b99384310fe6f75cb81a61d1af10346d70aab")
        #expect(SHA256.hexHash(rgb.image(at: 1).pixels) == "535079f1380d8231e25e8e71eb81566674f1af96e3a6928988e539781d56477f")
    }

    /// The DCT scale never yields an image smaller than the target on either axis, for every
    /// M/8 boundary of a 64x48 image, with and without a 90-degree EXIF orientation (the
    /// minimum is asked of the upright image), so crop (whose window is at least the target
    /// when the decode covers it) and pad (which only shrinks) never upscale a scaled decode.
    @Test func scaledDecodeAlwaysCoversTheTarget() throws {
        for fixture in ["jpeg/scale-64x48.jpg", "jpeg/orientation-6.jpg"] {
            let full = try Self.decode(fixture, .gray, mode: .full)
            for w in 1...full.width {
                for h in stride(from: 1, through: full.height, by: 3) {
                    let image = try Self.decode(fixture, .gray, minimum: (w, h), mode: .scaled)
                    #expect(image.width >= w && image.height >= h, "\(fixture) \(w)x\(h) -> \(image.width)x\(image.height)")
                    // and the smallest such scale: one step down (M - 1)/8 would not cover it
                    let scale = image.width * 8 / full.width
                    if scale > 1 {
                        let below = ((scale - 1) * full.width + 7) / 8, belowH = ((scale - 1) * full.height + 7) / 8
                        #expect(below < w || belowH < h, "\(fixture) \(w)x\(h): scale \(scale)/8 is not the smallest")
                    }
                }
            }
        }
    }
}
