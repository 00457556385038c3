import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// `--decode full` on real Kaggle photos (skipped with a printed reason when
/// `../shared/data/dogs-vs-cats` is absent). The expected SHA-256 of each photo's pixels were
/// produced with opencv-python 5.1.0:
///
///     g = cv2.resize(cv2.imread(p, cv2.IMREAD_GRAYSCALE), (80, 80), interpolation=cv2.INTER_AREA)
///     c = cv2.resize(cv2.imread(p, cv2.IMREAD_COLOR), (150, 150), interpolation=cv2.INTER_LINEAR)[:, :, ::-1]
///     hashlib.sha256(g.tobytes()).hexdigest(), hashlib.sha256(np.ascontiguousarray(c).tobytes()).hexdigest()
///
/// The same comparison over all 1760 photos is in the README (Decoding photos): all equal.
@Suite struct DecodeModeRealPhotoTests {
    static let expected: [(String, String, String)] = [
        ("cat.0.jpg", "d8147dad8906b19c49c0c3af45f92a5a0d62ccbb3a36976282d33371927b3b0f",
         "e9c179af6449fa77a3751cff3957c47d1ce7996e4591fe000d4cba5b999e0bb5"),
        ("cat.1.jpg", "f8664b81a6ad47006bc6b8e5360e906b3a2f77544438d568def47577b6f804be",
         "cae69b9d71430fe62ee8ee25ecc5bd1b7d89ffc5fee97f2d540f695705a505f2"),
        ("cat.2.jpg", "232e12ea31f65448e178d60f4c56c864d006e3f4100aa5a4bfd583b9b15ccdcf",
         "32743002ef2110e04f3417f4bd2c1c86884bd2f7c69a3271c746f67d9129c774"),
        ("dog.1100.jpg", "5aa5aab95fc305ce4035aaf3fefc324f3bdc4979b3f669237a30def31933d810",
         "b5c4fdd3f38657d0a4ed6bebc34d2680b098ad18db2e48398f635af4fa57633b"),
        ("dog.1101.jpg", "b758f8e7e138c193cc269c20f907c90fb7d6c2e78f644a37e7aafda079e177c3",
         "21273ceef3f2b7522d71194257e65dfad138de62a1a3fd8cca3102cf28ed38f4"),
        ("dog.1102.jpg", "1d96013f09f6102690912df747c4c29209c4e73b900984a3336b0514f35a1d6a",
         "9502b603094e94fd5b17ab903c094a1aa0c632216b0cc45634cbcf490eb4a60c"),
    ]

    @Test func fullLoadEqualsOpenCVOnRealPhotos() throws {
        guard let root = TestPaths.sharedData("dogs-vs-cats") else { return }
        // A kaggle-style folder of just these photos, loaded as `split` and `train` load one.
        let folder = NSTemporaryDirectory() + "decode-real-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, _, _) in Self.expected {
            try FileManager.default.copyItem(atPath: root + "/train/" + name, toPath: folder + "/" + name)
        }
        let collection = try ImageCollection(folder: folder)
        let names = collection.splits[0].items.map { lastPathComponent($0.path) }
        let gray = try #require(collection.load(.init(width: 80, height: 80, color: .gray, filter: .area, threads: 2, decode: .full)).data["all"])
        let rgb = try #require(collection.load(.init(width: 150, height: 150, color: .rgb, filter: .bilinear, threads: 2, decode: .full)).data["all"])
        for (i, name) in names.enumerated() {
            let (_, grayHash, rgbHash) = try #require(Self.expected.first { $0.0 == name })
            #expect(SHA256.hexHash(gray.image(at: i).pixels) == grayHash, "\(name) gray 80x80 area")
            #expect(SHA256.hexHash(rgb.image(at: i).pixels) == rgbHash, "\(name) rgb 150x150 bilinear")
        }
        // The default scaled mode is not byte-identical: the reason the flag exists.
        let scaled = try #require(collection.load(.init(width: 80, height: 80, color: .gray, filter: .area, threads: 2)).data["all"])
        #expect(scaled.pixels != gray.pixels)
    }
}
