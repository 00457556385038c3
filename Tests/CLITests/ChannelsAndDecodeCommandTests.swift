import DataPrep
import Foundation
import Testing
import TestSupport

/// `--grayscale`/`--color` and `--decode` as a user meets them: a folder of 28x28 gray PNGs
/// trains a 1-channel model without `--resize`; a checkpoint's channel count decides what
/// `evaluate` and `explain` feed it, said on stderr, never silently.
@Suite struct ChannelsAndDecodeCommandTests {
    static let spec = "conv 2 3 same relu, flatten, dense 2 softmax"

    /// Four `channels`-channel 28x28 PNGs in each of `zero/` and `one/`.
    static func pngFolder(channels: Int) throws -> String {
        let root = try ScratchFolder.make("channels-\(channels)")
        for (c, name) in ["zero", "one"].enumerated() {
            try FileIO.makeDirectories(root + "/" + name)
            for k in 0..<4 {
                let pixels = (0..<(28 * 28 * channels)).map { UInt8(truncatingIfNeeded: 5 * $0 + 37 * k + 90 * c) }
                try PNG.write(Image(width: 28, height: 28, channels: channels, pixels: pixels), to: "\(root)/\(name)/\(k).png")
            }
        }
        return root
    }

    /// The `input` object of a checkpoint.json.
    static func checkpointInput(_ run: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: run + "/last/checkpoint.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["input"] as? [String: Any])
    }

    static func train(_ data: String, _ extra: [String] = []) throws -> (run: String, result: CommandResult) {
        let run = NSTemporaryDirectory() + "dataprep-channels-run-\(UUID().uuidString)"
        let result = try CommandRunner.run(["train", data, "--model", spec, "--epochs", "1", "--batch-size", "4", "--seed", "2",
                                            "--threads", "1", "--out", run, "--no-progress"] + extra)
        return (run, result)
    }

    /// Runs `body(gray folder, colour folder, run)` with a model trained on the gray folder.
    static func withGrayRun(_ body: (String, String, String) throws -> Void) throws {
        let gray = try pngFolder(channels: 1), color = try pngFolder(channels: 3)
        defer { ScratchFolder.remove(gray); ScratchFolder.remove(color) }
        let (run, trained) = try train(gray)
        defer { ScratchFolder.remove(run) }
        #expect(trained.status == 0, "\(trained.stderr)")
        try body(gray, color, run)
    }

    @Test func grayFolderTrainsAOneChannelModelWithoutResize() throws {
        let gray = try Self.pngFolder(channels: 1)
        defer { ScratchFolder.remove(gray) }
        let (run, result) = try Self.train(gray)
        defer { ScratchFolder.remove(run) }
        #expect(result.status == 0, "\(result.stderr)")
        let input = try Self.checkpointInput(run)
        #expect(input["height"] as? Int == 28 && input["width"] as? Int == 28 && input["channels"] as? Int == 1)

        let (colorRun, colored) = try Self.train(gray, ["--color"])
        defer { ScratchFolder.remove(colorRun) }
        #expect(colored.status == 0, "\(colored.stderr)")
        #expect(try Self.checkpointInput(colorRun)["channels"] as? Int == 3)

        let both = try CommandRunner.run(["train", gray, "--model", Self.spec, "--out", run + "-x", "--grayscale", "--color"])
        #expect(both.status == 64)
    }

    @Test func evaluateFollowsTheCheckpointsChannelsAndSaysSo() throws {
        try Self.withGrayRun { gray, color, run in
            let out = run + "/eval"  // later evaluations replace it: --overwrite

            // A colour folder on a gray model: converted to gray, with a note.
            let converted = try CommandRunner.run(["evaluate", run, color, "--split", "all", "--out", out, "--no-progress", "--json"])
            #expect(converted.status == 0, "\(converted.stderr)")
            #expect(converted.stderr.contains("note: the model takes 1-channel inputs: converting the colour images of \(color) to gray (--grayscale)"))
            // Asked for explicitly: the same result, no note.
            let asked = try CommandRunner.run(["evaluate", run, color, "--split", "all", "--out", out, "--overwrite", "--no-progress", "--json", "--grayscale"])
            #expect(asked.status == 0 && !asked.stderr.contains("note:"))
            #expect(asked.stdout == converted.stdout)
            // The gray folder it was trained on: nothing to say.
            let same = try CommandRunner.run(["evaluate", run, gray, "--split", "all", "--out", out, "--overwrite", "--no-progress"])
            #expect(same.status == 0 && !same.stderr.contains("note:"))
            // --color contradicts the checkpoint: an error, not a silent conversion.
            let contradicted = try CommandRunner.run(["evaluate", run, color, "--split", "all", "--out", out, "--overwrite", "--no-progress", "--color"])
            #expect(contradicted.status == 1)
            #expect(contradicted.stderr.contains("--color asks for 3 channels, but the model takes 1-channel inputs"))

            // Arrays (a split output) are converted only when asked.
            let arrays = run + "/arrays"
            let split = try CommandRunner.run(["split", color, "--ratios", "0.5,0.5", "--names", "train,test", "--seed", "1",
                                               "--out", arrays, "--no-progress"])
            #expect(split.status == 0, "\(split.stderr)")
            let refused = try CommandRunner.run(["evaluate", run, arrays, "--out", out, "--overwrite", "--no-progress"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("the model takes 28x28x1 inputs, the data is 28x28x3: pass --grayscale to convert"))
            let accepted = try CommandRunner.run(["evaluate", run, arrays, "--out", out, "--overwrite", "--no-progress", "--grayscale"])
            #expect(accepted.status == 0, "\(accepted.stderr)")
        }
    }

    @Test func explainOnAColourImageWithAGrayModelSaysItConverts() throws {
        try Self.withGrayRun { gray, color, run in
            let image = color + "/one/0.png"
            let explained = try CommandRunner.run(["explain", run, image, "--out", run + "/explain", "--no-progress"])
            #expect(explained.status == 0, "\(explained.stderr)")
            #expect(explained.stderr.contains("note: the model takes 1-channel inputs: converting the colour images of \(image) to gray"))
            let refused = try CommandRunner.run(["explain", run, image, "--out", run + "/explain", "--no-progress", "--color"])
            #expect(refused.status == 1)
        }
    }

    /// fine-tune reads DATA before the checkpoint, so a channel mismatch is an error naming the flag.
    @Test func fineTuneNamesTheFlagThatConvertsChannels() throws {
        try Self.withGrayRun { gray, color, run in
            let arguments = ["fine-tune", run, color, "--epochs", "1", "--seed", "1", "--out", run + "/tuned", "--no-progress"]
            let refused = try CommandRunner.run(arguments)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("the model takes 28x28x1 inputs, the data is 28x28x3: pass --grayscale to convert"))
            let tuned = try CommandRunner.run(arguments + ["--grayscale"])
            #expect(tuned.status == 0, "\(tuned.stderr)")
        }
    }

    /// `split --decode full` writes what cv2 gives: the expected bytes' SHA-256 is of
    /// cv2.resize(cv2.imread("Fixtures/jpeg/scale-64x48.jpg", cv2.IMREAD_GRAYSCALE), (20, 15),
    /// interpolation=cv2.INTER_AREA) (opencv-python 5.1); `scaled` differs.
    @Test func splitDecodeFullWritesOpenCVsBytes() throws {
        let source = try ScratchFolder.make("decode-source"), out = try ScratchFolder.make("decode-out")
        defer { ScratchFolder.remove(source); ScratchFolder.remove(out) }
        try FileIO.makeDirectories(source + "/a")
        try FileManager.default.copyItem(atPath: TestPaths.fixture("jpeg/scale-64x48.jpg"), toPath: source + "/a/0.jpg")
        func pixels(_ mode: String) throws -> [UInt8] {
            let folder = out + "/" + mode
            let result = try CommandRunner.run(["split", source, "--ratios", "1", "--names", "all", "--resize", "20x15", "--grayscale",
                                                "--decode", mode, "--allow-single-class", "--seed", "1", "--out", folder, "--no-progress"])
            #expect(result.status == 0, "\(result.stderr)")
            return Array(try FileIO.read(folder + "/all/x.npy").suffix(20 * 15))
        }
        #expect(SHA256.hexHash(try pixels("full")) == "df75513599bedaa20a90dcb231f66b21d7ad171db7c5703a7323b37c142ab013")
        #expect(SHA256.hexHash(try pixels("scaled")) != "df75513599bedaa20a90dcb231f66b21d7ad171db7c5703a7323b37c142ab013")
        let bad = try CommandRunner.run(["split", source, "--ratios", "1", "--names", "all", "--decode", "exact", "--out", out + "/x"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("full") && bad.stderr.contains("scaled"))
    }
}
