import Foundation
import Testing
import TestSupport

/// `dataprep augment preview` run as a user would: files written, determinism, exit codes.
@Suite struct AugmentCommandTests {
    /// A fresh temporary folder for one test's outputs.
    func tempDir() throws -> String {
        let path = NSTemporaryDirectory() + "augment-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    let keras = ["--rotation-range", "40", "--width-shift-range", "0.2", "--height-shift-range", "0.2",
                 "--shear-range", "12", "--zoom-range", "0.2", "--horizontal-flip", "--fill-mode", "nearest"]

    @Test func sameSeedGivesByteIdenticalGridAndSidecar() throws {
        let dir = try tempDir()
        let args = ["augment", "preview", "Fixtures/idx/mnist", "--samples", "2", "--variants", "3", "--seed", "42"] + keras
        let first = try CommandRunner.run(args + ["--out", dir + "/a.png"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("a.png") && first.stdout.contains("seed 42"))
        let second = try CommandRunner.run(args + ["--out", dir + "/b.png"])
        #expect(second.status == 0, "\(second.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.png")), b = try Data(contentsOf: URL(fileURLWithPath: dir + "/b.png"))
        #expect(a == b && a.starts(with: [0x89, 0x50, 0x4e, 0x47]))
        let sa = try String(contentsOfFile: dir + "/a.json", encoding: .utf8), sb = try String(contentsOfFile: dir + "/b.json", encoding: .utf8)
        #expect(sa.replacingOccurrences(of: "a.png", with: "b.png") == sb)
        let other = try CommandRunner.run(["augment", "preview", "Fixtures/idx/mnist", "--samples", "2", "--variants", "3", "--seed", "43"]
                                          + keras + ["--out", dir + "/c.png"])
        #expect(other.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/c.png")) != a)
    }

    @Test func sidecarListsEveryTilesParameters() throws {
        let dir = try tempDir()
        let result = try CommandRunner.run(["augment", "preview", "Fixtures/idx/mnist", "--out", dir + "/g.png", "--samples", "3",
                                            "--variants", "2", "--seed", "7", "--split", "test", "--json"] + keras)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["seed"] as? Int == 7 && summary["split"] as? String == "test")
        #expect(summary["indices"] as? [Int] == [0, 3, 6])
        let sidecar = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/g.json"))) as? [String: Any])
        let samples = try #require(sidecar["samples"] as? [[String: Any]])
        #expect(samples.count == 3)
        let tiles = try #require(samples[1]["tiles"] as? [[String: Any]])
        #expect(tiles.count == 3)
        #expect(tiles[0]["epoch"] == nil && tiles[1]["epoch"] as? Int == 0 && tiles[2]["epoch"] as? Int == 1)
        let applied = try #require(tiles[1]["applied"] as? [[String: Any]])
        #expect(applied.map { $0["op"] as? String } == ["rotation", "shift", "shear", "zoom", "horizontalFlip"])
        let degrees = try #require((applied[0]["values"] as? [String: Double])?["degrees"])
        #expect(abs(degrees) <= 40)
        #expect((sidecar["pipeline"] as? [String: Any])?["fillMode"] as? String == "nearest")
    }

    @Test func photoFoldersNeedResizeAndPipelineFilesWork() throws {
        let dir = try tempDir()
        let pipeline = #"{"ops": [{"op": "randomCrop", "padding": 4}, {"op": "cutout", "size": 0.25}], "fillMode": "constant"}"#
        try pipeline.write(toFile: dir + "/p.json", atomically: true, encoding: .utf8)
        let noSize = try CommandRunner.run(["augment", "preview", "Fixtures/collections/kaggle", "--out", dir + "/g.png",
                                            "--pipeline", dir + "/p.json", "--seed", "1"])
        #expect(noSize.status == 1 && noSize.stderr.contains("--resize"))
        let ok = try CommandRunner.run(["augment", "preview", "Fixtures/collections/kaggle", "--out", dir + "/g.png", "--resize", "32x24",
                                        "--pipeline", dir + "/p.json", "--seed", "1", "--variants", "2"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/g.png") && FileManager.default.fileExists(atPath: dir + "/g.json"))
    }

    @Test func seedIsPrintedWhenNotGiven() throws {
        let dir = try tempDir()
        let result = try CommandRunner.run(["augment", "preview", "Fixtures/idx/mnist", "--out", dir + "/g.png", "--samples", "1",
                                            "--variants", "1", "--horizontal-flip"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("seed: ") && result.stderr.contains("--seed"))
    }

    @Test func badInputExitsOneAndBadUsageSixtyFour() throws {
        let dir = try tempDir()
        let base = ["augment", "preview", "Fixtures/idx/mnist", "--out", dir + "/g.png", "--seed", "1"]
        for (extra, fragment) in [([], "no augmentation given"), (["--rotation-range", "500"], "--rotation-range"),
                                  (["--cval", "300", "--horizontal-flip"], "--cval"),
                                  (["--brightness-range", "0.8"], "LO,HI"),
                                  (["--zoom-range", "1.2,0.8"], "zoom-range"),
                                  (["--fill-mode", "mirror", "--horizontal-flip"], "fill-mode"),
                                  (["--pipeline", "x.json", "--horizontal-flip"], "give one or the other")] {
            let result = try CommandRunner.run(base + extra)
            #expect(result.status == 64, "\(extra)")
            #expect(result.stderr.contains(fragment), "\(extra): \(result.stderr)")
        }
        try #"{"ops": [{"op": "rotate", "degrees": 5}]}"#.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let badPipeline = try CommandRunner.run(base + ["--pipeline", dir + "/bad.json"])
        #expect(badPipeline.status == 1)
        #expect(badPipeline.stderr.contains("bad.json: invalid pipeline: ops[0].op: unknown operation 'rotate'"))
        let missing = try CommandRunner.run(["augment", "preview", "Fixtures/nope", "--out", dir + "/g.png", "--horizontal-flip"])
        #expect(missing.status == 1 && missing.stderr.contains("Fixtures/nope"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/g.png"))
    }

    @Test func helpListsTheKerasFlags() throws {
        let help = try CommandRunner.run(["augment", "preview", "--help"])
        #expect(help.status == 0)
        for flag in ["--rotation-range", "--width-shift-range", "--height-shift-range", "--shear-range", "--zoom-range",
                     "--horizontal-flip", "--vertical-flip", "--fill-mode", "--cval", "--brightness-range", "--channel-shift-range",
                     "--random-crop-padding", "--cutout", "--pipeline", "--interpolation", "values: constant, nearest, reflect"] {
            #expect(help.stdout.contains(flag), "\(flag)")
        }
    }
}
